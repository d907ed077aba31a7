using System.Diagnostics;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>Which hosts the site answers, which proxies it believes, and that it refuses to start without its public address.</summary>
public sealed class HostsAndProxiesTests
{
    private const string Proxy = "10.0.0.1";

    [Fact]
    public async Task In_development_a_request_for_another_host_gets_400_and_stores_nothing()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        var slug = await ImportAsync(site);
        var client = site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(slug));

        using var get = await SendAsync(client, HttpMethod.Get, SignUpForm.FormUrl(slug), host: "evil.example");
        using var post = await SendAsync(client, HttpMethod.Post, SignUpForm.FormUrl(slug), host: "evil.example:5080",
            form: [.. SignUpForm.Valid("erika@kommune.de"), new(SignUpForm.AntiforgeryField, token)]);

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(0, await site.WithDbAsync(db => db.OutboxMessages.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5080")]
    [InlineData("127.0.0.1:41234")]
    [InlineData("[::1]:8080")]
    public async Task In_development_loopback_hosts_on_any_port_are_answered(string host)
    {
        using var site = new SiteFactory();
        using var response = await SendAsync(site.CreatePlainClient(), HttpMethod.Get, "/impressum", host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task In_development_without_public_url_mail_links_use_the_fixed_loopback_base_whatever_the_request_says()
    {
        using var site = new SiteFactory().With("RateLimits:SignUpsPerMinutePerClient", "1000");
        var slug = await ImportAsync(site);
        var client = site.CreatePlainClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        client.DefaultRequestHeaders.Host = "127.0.0.1:41234";

        var page = await SignUpForm.SignUpAndFollowAsync(client, slug, "erika@kommune.de");

        var mail = Assert.Single(await ForgedHostTests.MailsTo(site, "erika@kommune.de", 1));
        var all = ForgedHostTests.Everything(mail);
        Assert.Contains($"http://localhost:5080{page}", all, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", all, StringComparison.Ordinal);
        Assert.DoesNotContain("41234", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_only_the_public_host_and_loopback_are_answered()
    {
        using var site = new SiteFactory().With("Site:PublicUrl", ForgedHostTests.PublicUrl);
        using var production = site.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var client = production.CreateClient();

        using var publicHost = await SendAsync(client, HttpMethod.Get, "/healthz", "cdo-forum.example.de");
        using var loopback = await SendAsync(client, HttpMethod.Get, "/healthz", "127.0.0.1:8080");
        using var other = await SendAsync(client, HttpMethod.Get, "/healthz", "evil.example");
        using var lookalike = await SendAsync(client, HttpMethod.Get, "/healthz", "cdo-forum.example.de.evil.example");

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            new[] { publicHost.StatusCode, loopback.StatusCode, other.StatusCode, lookalike.StatusCode });
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_address_has_its_own_sign_up_budget()
    {
        using var site = new BehindProxySite()
            .With("ForwardedHeaders:KnownProxies", Proxy)
            .With("RateLimits:SignUpsPerMinutePerClient", "2");
        var slug = await ImportAsync(site);
        var first = ClientFrom(site, "203.0.113.7");
        var second = ClientFrom(site, "203.0.113.8");

        var firstBudget = await SignUpsAsync(first, slug, "a", 3);
        var secondBudget = await SignUpsAsync(second, slug, "b", 2);

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.TooManyRequests], firstBudget);
        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], secondBudget);
        Assert.Equal(4, await site.WithDbAsync(db => db.Registrations.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Without_a_configured_proxy_x_forwarded_for_is_ignored_and_all_share_the_connection_budget()
    {
        using var site = new BehindProxySite().With("RateLimits:SignUpsPerMinutePerClient", "2");
        var slug = await ImportAsync(site);

        var first = await SignUpsAsync(ClientFrom(site, "203.0.113.7"), slug, "a", 2);
        var second = await SignUpsAsync(ClientFrom(site, "203.0.113.8"), slug, "b", 1);

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], first);
        Assert.Equal([HttpStatusCode.TooManyRequests], second);
    }

    [Fact]
    public async Task A_forwarded_address_from_a_proxy_that_is_not_known_is_ignored()
    {
        using var site = new BehindProxySite()
            .With("ForwardedHeaders:KnownProxies", "10.9.9.9")
            .With("RateLimits:SignUpsPerMinutePerClient", "1");
        var slug = await ImportAsync(site);

        var first = await SignUpsAsync(ClientFrom(site, "203.0.113.7"), slug, "a", 1);
        var second = await SignUpsAsync(ClientFrom(site, "203.0.113.8"), slug, "b", 1);

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.TooManyRequests], first.Concat(second));
    }

    [Fact]
    public async Task Staff_login_posts_are_limited_per_client_address_with_the_German_429_page()
    {
        using var site = new BehindProxySite()
            .With("ForwardedHeaders:KnownNetworks", "10.0.0.0/24")
            .With("RateLimits:StaffLoginsPerMinutePerClient", "3");
        await site.CreateStaffAsync();
        var office = ClientFrom(site, "198.51.100.20");
        var colleague = ClientFrom(site, "198.51.100.21");

        var attempts = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await office.LogInAsync(StaffSession.Email, $"Falsches Passwort Nummer {i}");
            attempts.Add(wrong.StatusCode);
        }

        using var refused = await office.LogInAsync(StaffSession.Email, StaffSession.Password);
        using var other = await colleague.LogInAsync(StaffSession.Email, StaffSession.Password);
        using var page = await office.GetAsync("/intern/anmelden", TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], attempts);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var text = await refused.TextAsync();
        Assert.Contains("Zu viele Anfragen", text, StringComparison.Ordinal);
        Assert.Contains("Bitte warten Sie eine Minute", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Staff_login_allows_ten_posts_per_minute_from_one_address_by_default()
    {
        using var site = new SiteFactory();
        var client = site.CreatePlainClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            using var response = await client.LogInAsync($"niemand{i}@kts.example.de", "Falsches Passwort für Tests");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 10), HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData(null, "Site:PublicUrl fehlt: Außerhalb der Entwicklungsumgebung startet die Website nur mit ihrer öffentlichen Adresse")]
    [InlineData("cdo-forum.example.de", "Site:PublicUrl „cdo-forum.example.de“ ist keine vollständige http- oder https-Adresse")]
    [InlineData("https://cdo-forum.example.de/?x=1", "Site:PublicUrl „https://cdo-forum.example.de/?x=1“ ist keine vollständige")]
    public Task In_production_the_site_refuses_to_start_without_a_usable_public_url_and_says_so_in_one_line(string? publicUrl, string message) =>
        AssertRefusesToStartAsync(message, ("ASPNETCORE_ENVIRONMENT", "Production"), ("Site__PublicUrl", publicUrl));

    [Theory]
    [InlineData("Oracle", "Host=db;Database=cdoforum", null, "Database:Provider ist „Oracle“; erlaubt sind „Sqlite“ (Voreinstellung) und „PostgreSQL“.")]
    [InlineData("PostgreSQL", null, "geheim-geheim-geheim-geheim-geheim", "Database:Provider ist „PostgreSQL“, aber ConnectionStrings:CdoForum fehlt")]
    [InlineData("PostgreSQL", "Host=db;Database=cdoforum", null, "Registrations:TokenSecret fehlt: mit PostgreSQL müssen alle Instanzen denselben geheimen Schlüssel")]
    public Task An_unusable_database_setting_stops_the_start_with_a_line_naming_the_key_and_writes_nothing(
        string provider, string? connectionString, string? tokenSecret, string message) =>
        AssertRefusesToStartAsync(message, ("ASPNETCORE_ENVIRONMENT", "Production"), ("Site__PublicUrl", "https://cdo-forum.example.de"),
            ("Database__Provider", provider), ("ConnectionStrings__CdoForum", connectionString), ("Registrations__TokenSecret", tokenSecret));

    /// <summary>The site, started with <paramref name="environment"/>, exits with 1 and one line starting with <paramref name="message"/>, and writes nothing.</summary>
    private static async Task AssertRefusesToStartAsync(string message, params (string Key, string? Value)[] environment)
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-start-").FullName;
        try
        {
            var (exit, output, error) = await RunSiteAsync(folder, environment);

            Assert.Equal(1, exit);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith(message, line, StringComparison.Ordinal);
            Assert.Equal("", output.Trim());
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_known_proxy_entry_that_is_not_an_address_stops_the_start_with_a_line_naming_the_key()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-start-").FullName;
        try
        {
            var (exit, _, error) = await RunSiteAsync(folder, ("ASPNETCORE_ENVIRONMENT", "Development"), ("ForwardedHeaders__KnownProxies", "10.0.0.1, proxy.intern"));

            Assert.Equal(1, exit);
            Assert.Equal("ForwardedHeaders:KnownProxies: „proxy.intern“ ist keine IP-Adresse.", error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The site as its own process (the built Web assembly), started in <paramref name="folder"/> as content root.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunSiteAsync(string folder, params (string Key, string? Value)[] environment)
    {
        var info = SiteCommand.StartInfo(folder, environment);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> ImportAsync(SiteFactory site)
    {
        var slug = $"forum-{Guid.NewGuid():N}"[..20];
        await site.ImportAsync(TestEvents.Future(slug));
        return slug;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string host,
        IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Host = host;
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static HttpClient ClientFrom(SiteFactory site, string forwardedFor)
    {
        var client = site.CreatePlainClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static async Task<List<HttpStatusCode>> SignUpsAsync(HttpClient client, string slug, string prefix, int count)
    {
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(slug));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(slug), SignUpForm.Valid($"{prefix}{i}-{slug}@kommune.de"), token);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Every connection comes from the reverse proxy at 10.0.0.1, as it would behind nginx on another machine.</summary>
    private sealed class BehindProxySite : SiteFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, FromProxy>());
        }

        private sealed class FromProxy : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(Proxy);
                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}
