using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.WebEncoders;

namespace Hagenow.CdoForum.Web.Site;

public static class SiteSetup
{
    public static IServiceCollection AddSite(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Intern");
            options.Conventions.AllowAnonymousToPage("/Intern/Anmelden");
        });
        // Every route is written in lower case (the @page directives, SitePaths). LowercaseUrls would also lower the
        // route values and so break the mixed-case Base64Url tokens in /anmeldung/{token} and /bescheinigung/{code}.
        services.AddRouting(options => options.LowercaseUrls = false);
        services.AddHttpContextAccessor();
        var urls = SiteUrls.FromConfiguration(configuration, environment);
        services.AddSingleton(urls);
        services.AddHostsAndProxies(configuration, urls);
        services.Configure<LegalOptions>(configuration.GetSection("Legal"));
        // German text stays readable in the HTML source (ä, not &#xE4;); encoding of markup characters is unchanged.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<FormOptions>(o => o.ValueLengthLimit = 16 * 1024);
        // "Server: Kestrel" tells a stranger what to probe for; nobody else needs it.
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);

        // Where the keys live depends on the database (Data/DataSetup.cs): beside the SQLite file, or in PostgreSQL.
        services.AddDataProtection().SetApplicationName("Hagenow.CdoForum");

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cdoforum.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__af";
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        });
        return services;
    }

    /// <summary>
    /// Configuration the site must not start with (Site:PublicUrl missing outside Development, a proxy entry that is no
    /// address), one German line each; Program.cs prints them and exits before anything is written.
    /// </summary>
    public static List<string> StartupErrors(IConfiguration configuration, IHostEnvironment environment) =>
        [.. new[] { SiteUrls.ConfigurationError(configuration, environment) }.OfType<string>(), .. HostsAndProxies.ConfigurationErrors(configuration)];

    public static WebApplication UseSite(this WebApplication app)
    {
        app.UseForwardedHeadersWhenConfigured();
        app.Use(AllowedMethods.RefuseOthersAsync);
        app.UseExceptionHandler(SitePaths.ErrorPage(500));
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(SecurityHeaders.AddAsync);
        app.Use(Robots.MarkParticipantPagesAsync);
        app.UseStatusCodePagesWithReExecute(SitePaths.ErrorPageFormat);
        app.UseRouting();
        app.UseRateLimiter();
        // After routing (policies come from endpoint metadata), e.g. the event page's per-version cache (Events/EventPageCache.cs).
        app.UseOutputCache();
        return app;
    }

    public static WebApplication MapSite(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapRobots();
        app.MapHealthChecks(SitePaths.Health, new HealthCheckOptions
        {
            // Status words only: descriptions name paths and exceptions, which go to the log, not to anyone who asks.
            ResponseWriter = async (context, report) =>
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Hagenow.CdoForum.Web.Health");
                foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
                {
                    SiteLog.HealthEntry(logger, name, entry.Status, entry.Description, entry.Exception);
                }

                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(string.Join("\n", report.Entries.Select(e => $"{e.Key}: {e.Value.Status}")));
            },
        });
        return app;
    }
}
