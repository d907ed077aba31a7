using System.Net;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// Links go through asp-page / Url.Page (routes from the pages' @page directives) or the one route class
/// <see cref="SitePaths"/>; no page, page model or feature spells an app route as a string literal.
/// </summary>
public sealed partial class LinkTests(SharedSite shared) : IClassFixture<SharedSite>
{
    private const string MixedCaseToken = "AbC-dEf_123xYz";

    private readonly SharedSite _site = shared;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void No_source_file_spells_an_app_route_as_a_literal()
    {
        var web = WebProjectFolder();
        var scanner = new LiteralScanner(RouteSegments(web), StaticAssets(web));

        var found = SourceFiles(web)
            .SelectMany(file => scanner.Find(File.ReadAllLines(file)).Select(hit => $"{Path.GetRelativePath(web, file)}:{hit}"))
            .ToList();

        Assert.True(found.Count == 0,
            "Link with asp-page/Url.Page, or with Site/SitePaths.cs outside Razor, instead of these literals:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scanner_finds_literal_links_and_lets_assets_fragments_and_route_directives_pass()
    {
        var scanner = new LiteralScanner(["veranstaltungen", "intern", "impressum"], ["css", "favicon.ico"]);
        string[] lines =
        [
            "@page \"/intern/mails\"",                                       // 1 route directive: allowed
            "<a href=\"/veranstaltungen/@e.Slug\">Zur Veranstaltung</a>",    // 2
            "<link rel=\"stylesheet\" href=\"/css/site.css\">",             // 3 static asset: allowed
            "<a href=\"#inhalt\">Zum Inhalt</a> <a href=\"/favicon.ico\">",  // 4 fragment and asset: allowed
            "return new SeeOtherResult($\"/intern/veranstaltungen/{slug}\");", // 5
            "return LocalRedirect(\"/intern\");",                              // 6
            "<a href=\"/\">Start</a>",                                          // 7
            "<form method=\"get\" action=\"/impressum\">",                    // 8
            "<a asp-page=\"/Impressum\">Impressum</a>",                        // 9 page name: allowed
        ];

        var hits = scanner.Find(lines).Select(hit => int.Parse(hit.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([2, 5, 6, 7, 8], hits);
    }

    [Fact]
    public void The_route_class_renders_the_same_paths_as_the_page_routes_and_keeps_the_case_of_tokens()
    {
        var links = _site.Services.GetRequiredService<LinkGenerator>();
        const string slug = "cdo-forum-2026-04-15";
        (string Page, object? Values, string Expected)[] cases =
        [
            ("/Index", null, SitePaths.Home),
            ("/Veranstaltungen/Veranstaltung", new { slug }, SitePaths.Event(slug)),
            ("/Veranstaltungen/Anmeldung", new { slug }, SitePaths.SignUp(slug)),
            ("/Anmeldung/Teilnahme", new { token = MixedCaseToken }, SitePaths.Registration(MixedCaseToken)),
            ("/Bescheinigung", new { code = MixedCaseToken }, SitePaths.CertificateCheck(MixedCaseToken)),
            ("/Impressum", null, SitePaths.Imprint),
            ("/Datenschutz", null, SitePaths.PrivacyNotice),
            ("/Barrierefreiheit", null, SitePaths.AccessibilityStatement),
            ("/Fehler", new { code = 404 }, SitePaths.ErrorPage(404)),
            ("/Intern/Index", null, SitePaths.StaffArea),
            ("/Intern/Anmelden", null, SitePaths.StaffLogin),
            ("/Intern/Abmelden", null, SitePaths.StaffLogout),
            ("/Intern/Einrichten", null, SitePaths.StaffSetUpSecondFactor),
            ("/Intern/ZweiterFaktor", null, SitePaths.StaffSecondFactor),
        ];

        foreach (var (page, values, expected) in cases)
        {
            Assert.Equal(expected, links.GetPathByPage(page, handler: null, values));
        }

        Assert.Equal($"/anmeldung/{MixedCaseToken}", SitePaths.Registration(MixedCaseToken));
        Assert.Equal(new Uri($"http://localhost:5080/anmeldung/{MixedCaseToken}"), new SiteUrls(SiteUrls.DevelopmentBase).Registration(MixedCaseToken));
        Assert.Equal(new Uri("https://example.de/forum/veranstaltungen/x-1/anmeldung"), new SiteUrls(new Uri("https://example.de/forum")).SignUp("x-1"));
    }

    [Fact]
    public async Task A_participant_page_links_to_its_own_token_and_no_public_page_has_an_empty_link()
    {
        var slug = $"links-{Guid.NewGuid():N}"[..20];
        await _site.ImportAsync(TestEvents.Future(slug));
        using var client = _site.CreatePlainClient();
        var own = await SignUpForm.SignUpAndFollowAsync(client, slug, $"{slug}@hagenow.de");
        Assert.Matches("^/anmeldung/[A-Za-z0-9_-]{20,}$", own);

        string[] pages = ["/", SitePaths.Event(slug), SitePaths.SignUp(slug), SitePaths.Imprint, SitePaths.PrivacyNotice, SitePaths.AccessibilityStatement, "/leichte-sprache", own];
        foreach (var page in pages)
        {
            using var response = await client.GetAsync(page, Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotMatch("""\s(href|action)=""\s*""", html);
        }

        var ownPage = await client.GetStringAsync(own, Ct);
        Assert.Contains($"href=\"{own}/stornieren\"", ownPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"{own}/daten\"", ownPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"{SitePaths.Event(slug)}\"", ownPage, StringComparison.Ordinal);
    }

    private static string WebProjectFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var web = Path.Combine(dir.FullName, "src", "Hagenow.CdoForum.Web");
            if (File.Exists(Path.Combine(web, "Hagenow.CdoForum.Web.csproj")))
            {
                return web;
            }
        }

        throw new InvalidOperationException("src/Hagenow.CdoForum.Web not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every .cs and .cshtml of the site except the route class itself, migrations and build output.</summary>
    private static IEnumerable<string> SourceFiles(string web) =>
        Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !IsExcluded(Path.GetRelativePath(web, f).Replace('\\', '/')));

    private static bool IsExcluded(string relative) =>
        relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
        || relative.StartsWith("Data/Migrations/", StringComparison.Ordinal) || relative == "Site/SitePaths.cs";

    /// <summary>The first segments of all page routes (intern, veranstaltungen, anmeldung, impressum, …) and of SitePaths.</summary>
    private static string[] RouteSegments(string web) =>
        Directory.EnumerateFiles(Path.Combine(web, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .Select(f => PageDirective().Match(File.ReadLines(f).FirstOrDefault() ?? ""))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Concat(["kalender.ics", "sitemap.xml", "robots.txt", "healthz"])
            .Where(s => s.Length > 0)
            .Distinct()
            .ToArray();

    /// <summary>What wwwroot holds at its top (css, js, img, favicon.ico, …): links to these stay literal.</summary>
    private static string[] StaticAssets(string web) =>
        Directory.EnumerateFileSystemEntries(Path.Combine(web, "wwwroot")).Select(Path.GetFileName).OfType<string>().ToArray();

    [GeneratedRegex("""^@page\s+"/([^/"{]*)""")]
    private static partial Regex PageDirective();

    private sealed class LiteralScanner(IEnumerable<string> routeSegments, IEnumerable<string> staticAssets)
    {
        // href="/…", action="/…", formaction="/…": every root-relative link in markup except static assets.
        private readonly Regex _markup = new("""\b(?:href|action|formaction)="/(?<rest>[^"]*)""", RegexOptions.CultureInvariant);

        // "/intern…", $"/anmeldung/{token}", "/": a string literal that starts with an app route.
        private readonly Regex _literal = new(
            $$"""(?<![=\w])\$?@?"/(?:{{string.Join("|", routeSegments.Select(Regex.Escape))}})(?:[/?"{]|$)""",
            RegexOptions.CultureInvariant);

        private readonly string[] _assets = [.. staticAssets];

        public IEnumerable<string> Find(string[] lines)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith("@page ", StringComparison.Ordinal))
                {
                    continue;
                }

                var markup = _markup.Matches(line).Where(m => !IsStaticAsset(m.Groups["rest"].Value));
                if (markup.Any() || _literal.IsMatch(line))
                {
                    yield return $"{i + 1}: {line.Trim()}";
                }
            }
        }

        private bool IsStaticAsset(string path) =>
            path.Length > 0 && _assets.Any(a => path == a || path.StartsWith(a + "/", StringComparison.Ordinal));
    }
}
