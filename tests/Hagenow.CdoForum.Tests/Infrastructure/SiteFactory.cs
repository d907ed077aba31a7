using Hagenow.CdoForum.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// The real site through the real HTTP pipeline, on its own temporary SQLite file and mail folder,
/// with a clock the test controls. Dispose deletes the folder.
/// </summary>
public class SiteFactory : WebApplicationFactory<Program>
{
    /// <summary>Before the seed event: registration is open.</summary>
    public static readonly DateTimeOffset BeforeSeedEvent = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Today, as this project is written: the seed event lies in the past.</summary>
    public static readonly DateTimeOffset AfterSeedEvent = new(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(1));

    /// <summary>PBKDF2 iterations of the staff password hashes on test sites (production: Identity's default).</summary>
    public const int TestPasswordIterations = 1_000;

    private readonly Dictionary<string, string?> _settings = [];
    private readonly bool _ownsFolder;

    public SiteFactory()
        : this(AfterSeedEvent)
    {
    }

    public SiteFactory(DateTimeOffset now)
        : this(Directory.CreateTempSubdirectory("cdoforum-test-").FullName, now)
    {
        _ownsFolder = true;
        if (Provider == DatabaseProvider.Sqlite)
        {
            TemplateDatabase.CopyTo(DatabasePath);
        }
    }

    /// <summary>A new site on the given engine, whatever this test run's <see cref="Engine"/> is.</summary>
    public SiteFactory(DatabaseProvider provider)
        : this(Directory.CreateTempSubdirectory("cdoforum-test-").FullName, AfterSeedEvent, provider)
    {
        _ownsFolder = true;
    }

    /// <summary>
    /// A site on an existing folder (database, mail folder, keys) left by another SiteFactory: a restart of the site.
    /// The folder is not deleted on Dispose; the factory that created it does that.
    /// </summary>
    public SiteFactory(string folder, DateTimeOffset now)
        : this(folder, now, Engine)
    {
    }

    /// <summary>
    /// A site on the given engine. With PostgreSQL the folder remembers the site's database (a file naming it), so a
    /// second factory on the same folder is a restart, or a second instance, of the same site.
    /// </summary>
    public SiteFactory(string folder, DateTimeOffset now, DatabaseProvider provider)
    {
        Folder = folder;
        Clock = new FakeTimeProvider(now);
        Provider = provider;
        DatabasePath = Path.Combine(Folder, "cdoforum.db");
        MailFolder = Path.Combine(Folder, "mail");
        if (provider == DatabaseProvider.PostgreSql)
        {
            var remembered = Path.Combine(Folder, "postgresql.txt");
            if (!File.Exists(remembered))
            {
                File.WriteAllText(remembered, PostgreSqlCluster.Shared.CreateDatabase());
            }

            _settings["Database:Provider"] = "PostgreSQL";
            _settings["ConnectionStrings:CdoForum"] = File.ReadAllText(remembered);
        }
        else
        {
            _settings["ConnectionStrings:CdoForum"] = $"Data Source={DatabasePath}";
        }

        _settings["Mail:PickupDirectory"] = MailFolder;
        _settings["DataProtection:KeysDirectory"] = Path.Combine(Folder, "keys");
    }

    /// <summary>
    /// The engine of this test run: SQLite, or PostgreSQL when CDOFORUM_TEST_DATABASE=PostgreSQL (.ci/run runs the classes
    /// marked <c>[Trait("Engines", "Both")]</c> a second time that way).
    /// </summary>
    public static DatabaseProvider Engine { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CDOFORUM_TEST_DATABASE"), "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSql
            : DatabaseProvider.Sqlite;

    public DatabaseProvider Provider { get; }

    public string Folder { get; }

    public string DatabasePath { get; }

    public string MailFolder { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>Sets a configuration value; call before the first request.</summary>
    public SiteFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A client that does not follow redirects, so tests can see 303s and their targets.</summary>
    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<T> WithDbAsync<T>(Func<CdoForumDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CdoForumDbContext>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // PBKDF2 with the production 100,000 iterations costs a noticeable share of the whole test run's CPU, for every
            // staff account made and every login; the tests check what the login does, not how slow the hash is.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordIterations);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Provider == DatabaseProvider.PostgreSql)
            {
                Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(_settings["ConnectionStrings:CdoForum"]));
            }

            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown: the temp folder is cleaned by the OS.
            }
        }
    }
}
