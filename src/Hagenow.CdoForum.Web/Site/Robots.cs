namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// What crawlers may fetch. The staff area and the participants' own pages (their secret link is the address) are
/// disallowed here and also answer with X-Robots-Tag: noindex, in case a crawler finds a link and ignores robots.txt.
/// </summary>
internal static class Robots
{
    public const string NoIndex = "noindex, nofollow";

    public static string Text(SiteUrls urls) =>
        $"""
        User-agent: *
        Disallow: /intern
        Disallow: /anmeldung/
        Sitemap: {urls.Absolute(SitePaths.Sitemap).AbsoluteUri}

        """;

    public static IEndpointRouteBuilder MapRobots(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SitePaths.Robots, (SiteUrls urls, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Text(urls), "text/plain; charset=utf-8");
        });
        return endpoints;
    }

    /// <summary>Participant pages and everything under them (.ics, data download): never in a search index.</summary>
    public static Task MarkParticipantPagesAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments(SitePaths.RegistrationArea, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers["X-Robots-Tag"] = NoIndex;
        }

        return next();
    }
}
