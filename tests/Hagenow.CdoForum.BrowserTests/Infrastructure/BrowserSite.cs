using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.BrowserTests.Infrastructure;

/// <summary>
/// The real site on Kestrel on a free loopback port, with its own temporary SQLite file, mail pickup folder and keys,
/// so the browser talks HTTP to it. The clock starts on 1 March 2026 (<c>Clock:Now</c>, Development): the seed event's
/// registration is open (<see cref="ClockNow"/> changes that). One site per test class; disposing stops it and deletes
/// the folder.
/// </summary>
public class BrowserSite : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SeedSlug = "cdo-forum-2026-03-11";

    public BrowserSite()
    {
        Folder = Directory.CreateTempSubdirectory("cdoforum-browser-").FullName;
        MailFolder = Path.Combine(Folder, "mail");
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    private readonly SemaphoreSlim _staffLogin = new(1, 1);
    private string? _staffState;

    public string Folder { get; }

    /// <summary>Where the site's clock starts (Berlin time); it runs on in real time from there.</summary>
    protected virtual string ClockNow => "2026-03-01T10:00";

    public string MailFolder { get; }

    /// <summary>The site's address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>An absolute address on this site for a path like "/impressum".</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public virtual ValueTask InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BaseAddress = new Uri(addresses.Single());
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The cookies of one staff login through the form (<paramref name="logIn"/>), made once per site: tests about what
    /// staff see, not about logging in, open their sessions with it instead of logging in again in every view.
    /// </summary>
    public async Task<string> StaffStateAsync(Chromium chromium, Func<BrowserSession, Task> logIn)
    {
        await _staffLogin.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_staffState is null)
            {
                await using var session = await BrowserSession.OpenAsync(chromium, this);
                await logIn(session);
                _staffState = await session.StorageStateAsync();
            }

            return _staffState;
        }
        finally
        {
            _staffLogin.Release();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:CdoForum", $"Data Source={Path.Combine(Folder, "cdoforum.db")}");
        builder.UseSetting("Mail:PickupDirectory", MailFolder);
        builder.UseSetting("DataProtection:KeysDirectory", Path.Combine(Folder, "keys"));
        builder.UseSetting("Clock:Now", ClockNow);
        // Every browser logs in from 127.0.0.1, many times a minute; the limit itself is tested in HostsAndProxiesTests.
        builder.UseSetting("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _staffLogin.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the temp folder is cleaned by the OS.
        }

        GC.SuppressFinalize(this);
    }
}
