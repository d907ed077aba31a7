namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// Absolute addresses for mails, calendar files and PDFs. <c>Site:PublicUrl</c> (e.g. https://cdo-forum.example.de)
/// wins; without it, the address of the current request is used, and in background work http://localhost:5080.
/// </summary>
public sealed class SiteUrls(IConfiguration configuration, IHttpContextAccessor accessor)
{
    public Uri Base
    {
        get
        {
            if (configuration["Site:PublicUrl"] is { Length: > 0 } configured)
            {
                return new Uri(configured.TrimEnd('/') + "/");
            }

            return accessor.HttpContext?.Request is { } request
                ? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/")
                : new Uri("http://localhost:5080/");
        }
    }

    /// <summary>The host name used in Message-IDs and calendar UIDs.</summary>
    public string Host => Base.Host;

    public Uri Event(string slug) => new(Base, $"veranstaltungen/{slug}");

    public Uri Registration(string token) => new(Base, $"anmeldung/{token}");

    /// <summary>The series as a calendar feed.</summary>
    public Uri CalendarFeed => new(Base, "kalender.ics");

    /// <summary>The feed for "subscribe" links: calendar apps open webcal:// addresses as a subscription.</summary>
    public string CalendarFeedSubscription => "webcal" + CalendarFeed.AbsoluteUri[CalendarFeed.Scheme.Length..];
}
