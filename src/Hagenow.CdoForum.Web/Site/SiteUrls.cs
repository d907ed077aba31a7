namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// Absolute addresses for mails, calendar files, PDFs and background work. They come only from <c>Site:PublicUrl</c>
/// (e.g. https://cdo-forum.example.de), never from a request: a forged Host or X-Forwarded-Host header must not be
/// able to put another site into a mail that carries a participant's token. In Development without it the base is
/// <see cref="DevelopmentBase"/> (the launch profile's address); outside Development the site does not start without it.
/// </summary>
public sealed class SiteUrls
{
    public const string PublicUrlKey = "Site:PublicUrl";

    /// <summary>The launch profile's address (Properties/launchSettings.json), used in Development without a PublicUrl.</summary>
    public static readonly Uri DevelopmentBase = new("http://localhost:5080/");

    public SiteUrls(Uri baseAddress)
    {
        var text = baseAddress.AbsoluteUri;
        Base = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    public Uri Base { get; }

    /// <summary>The host name used in Message-IDs and calendar UIDs.</summary>
    public string Host => Base.Host;

    /// <summary>A path of <see cref="SitePaths"/> made absolute (kept below a base path such as https://example.de/forum/).</summary>
    public Uri Absolute(string sitePath) => new(Base, sitePath.TrimStart('/'));

    public Uri Event(string slug) => Absolute(SitePaths.Event(slug));

    public Uri SignUp(string slug) => Absolute(SitePaths.SignUp(slug));

    public Uri Registration(string token) => Absolute(SitePaths.Registration(token));

    public Uri CertificateCheck(string code) => Absolute(SitePaths.CertificateCheck(code));

    public static SiteUrls FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        if (ConfigurationError(configuration, environment) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        return new SiteUrls(PublicUrl(configuration) ?? DevelopmentBase);
    }

    /// <summary>One line naming the key when <c>Site:PublicUrl</c> is missing outside Development or not a usable address; else null.</summary>
    public static string? ConfigurationError(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[PublicUrlKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return environment.IsDevelopment()
                ? null
                : $"{PublicUrlKey} fehlt: Außerhalb der Entwicklungsumgebung startet die Website nur mit ihrer öffentlichen Adresse, "
                  + "z. B. Site__PublicUrl=https://cdo-forum.example.de (siehe src/Hagenow.CdoForum.Web/README.md).";
        }

        return PublicUrl(configuration) is null
            ? $"{PublicUrlKey} „{configured.Trim()}“ ist keine vollständige http- oder https-Adresse ohne Abfrage und Anker, "
              + "z. B. https://cdo-forum.example.de."
            : null;
    }

    private static Uri? PublicUrl(IConfiguration configuration) =>
        Uri.TryCreate(configuration[PublicUrlKey]?.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : null;

    /// <summary>The series as a calendar feed.</summary>
    public Uri CalendarFeed => Absolute(SitePaths.CalendarFeed);

    /// <summary>The feed for "subscribe" links: calendar apps open webcal:// addresses as a subscription.</summary>
    public string CalendarFeedSubscription => "webcal" + CalendarFeed.AbsoluteUri[CalendarFeed.Scheme.Length..];
}
