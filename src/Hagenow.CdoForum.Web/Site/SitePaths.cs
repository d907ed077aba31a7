namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// The site's URL shapes (DESIGN.md §3), each written once, for code outside Razor: <see cref="SiteUrls"/> makes them
/// absolute for mails, calendar files, PDFs and feeds; the endpoints that are not Razor pages are mapped from the
/// templates here; the staff cookie and the path checks use the area prefixes. Razor pages link to pages with
/// <c>asp-page</c> and <c>Url.Page</c>, whose routes are the pages' <c>@page</c> directives; a test
/// (LinkTests in the test project) checks that the page shapes here render the same paths as those routes.
/// </summary>
public static class SitePaths
{
    public const string Home = "/";

    public static string Event(string slug) => $"/veranstaltungen/{Segment(slug)}";

    public static string SignUp(string slug) => Event(slug) + "/anmeldung";

    public const string ProgrammePdfRoute = "/veranstaltungen/{slug}/programm.pdf";

    public static string ProgrammePdf(string slug) => Fill(ProgrammePdfRoute, "slug", slug);

    public const string EventCalendarRoute = "/veranstaltungen/{slug}/termin.ics";

    public static string EventCalendar(string slug) => Fill(EventCalendarRoute, "slug", slug);

    public const string CalendarFeed = "/kalender.ics";

    /// <summary>A participant's own pages live under this prefix: never in a search index.</summary>
    public const string RegistrationArea = "/anmeldung";

    public static string Registration(string token) => $"{RegistrationArea}/{Segment(token)}";

    public const string CertificatePdfRoute = "/anmeldung/{token}/bescheinigung.pdf";

    public static string CertificatePdf(string token) => Fill(CertificatePdfRoute, "token", token);

    public static string CertificateCheck(string code) => $"/bescheinigung/{Segment(code)}";

    public const string Imprint = "/impressum";

    public const string PrivacyNotice = "/datenschutz";

    public const string AccessibilityStatement = "/barrierefreiheit";

    public const string Sitemap = "/sitemap.xml";

    public const string Robots = "/robots.txt";

    public const string Health = "/healthz";

    /// <summary>The error page; <c>{0}</c> is the status code (UseStatusCodePagesWithReExecute's format).</summary>
    public const string ErrorPageFormat = "/fehler/{0}";

    public static string ErrorPage(int statusCode) =>
        ErrorPageFormat.Replace("{0}", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The staff area: login required, never cached, never indexed.</summary>
    public const string StaffArea = "/intern";

    public const string StaffLogin = "/intern/anmelden";

    public const string StaffLogout = "/intern/abmelden";

    public const string StaffSetUpSecondFactor = "/intern/einrichten";

    public const string StaffSecondFactor = "/intern/zweiter-faktor";

    private static string Fill(string template, string name, string value) =>
        template.Replace("{" + name + "}", Segment(value), StringComparison.Ordinal);

    // Slugs, tokens and codes are URL-safe already (a-z, 0-9, '-', '_'); escaping only guards against a bad value.
    private static string Segment(string value) => Uri.EscapeDataString(value);
}
