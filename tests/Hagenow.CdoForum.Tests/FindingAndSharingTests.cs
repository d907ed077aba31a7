using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// What search engines and link previews (Teams, Outlook, LinkedIn) read: description, canonical link, Open Graph and
/// Twitter tags, JSON-LD, robots.txt and the sitemap; and that no private page shows up in any of them.
/// </summary>
public sealed partial class FindingAndSharingTests(FindingAndSharingTests.PublicSite site) : IClassFixture<FindingAndSharingTests.PublicSite>
{
    private const string PublicUrl = "https://cdo-forum.example.de";
    private const string SeedPage = "/veranstaltungen/" + TestEvents.SeedSlug;

    /// <summary>The site as deployed: its public address differs from the test client's host (localhost).</summary>
    public sealed class PublicSite : SiteFactory
    {
        public PublicSite() => With("Site:PublicUrl", PublicUrl + "/");
    }

    public static TheoryData<string> PublicPaths =>
    [
        "/",
        SeedPage,
        SeedPage + "/anmeldung",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
    ];

    [Theory]
    [MemberData(nameof(PublicPaths))]
    public async Task Public_page_has_description_canonical_link_and_preview_tags(string path)
    {
        using var response = await site.CreateClient().GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Robots-Tag"));
        Assert.DoesNotContain("noindex", html, StringComparison.Ordinal);
        var canonical = PublicUrl + path;
        Assert.Equal(canonical, Canonical(html));
        Assert.InRange(Meta(html, "description")!.Length, 50, 200);
        Assert.Equal(Meta(html, "description"), Meta(html, "og:description"));
        Assert.Equal(Meta(html, "description"), Meta(html, "twitter:description"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(html, "og:title")));
        Assert.Equal(Meta(html, "og:title"), Meta(html, "twitter:title"));
        Assert.Equal(canonical, Meta(html, "og:url"));
        Assert.Equal("de_DE", Meta(html, "og:locale"));
        Assert.Equal("website", Meta(html, "og:type"));
        Assert.Equal(PublicUrl + "/img/vorschau.png", Meta(html, "og:image"));
        Assert.Equal(PublicUrl + "/img/vorschau.png", Meta(html, "twitter:image"));
        Assert.Equal("1200", Meta(html, "og:image:width"));
        Assert.Equal("630", Meta(html, "og:image:height"));
        Assert.Equal("summary_large_image", Meta(html, "twitter:card"));
        Assert.DoesNotContain("localhost", string.Join(' ', Canonical(html), Meta(html, "og:url"), Meta(html, "og:image")), StringComparison.Ordinal);
        Assert.Contains("""<link rel="icon" href="/favicon.ico" """, html, StringComparison.Ordinal);
        Assert.Contains("""<link rel="icon" href="/favicon.svg" type="image/svg+xml">""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_preview_shows_title_date_and_the_events_own_text()
    {
        var html = await GetHtmlAsync(SeedPage);

        Assert.Equal("CDO-Forum am 11. März 2026: Digitaler Experimentierraum in der Bibliothek Hagenow", Meta(html, "og:title"));
        var description = Meta(html, "description")!;
        Assert.StartsWith("Mittwoch, 11. März 2026, 13:00–14:00 Uhr, Online. Bestandteil des Smart City Konzepts des Modellprojekts Smart Cities", description, StringComparison.Ordinal);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_up_form_preview_names_the_event_and_its_date()
    {
        var html = await GetHtmlAsync(SeedPage + "/anmeldung");

        Assert.Equal("Anmeldung zum CDO-Forum am 11. März 2026: Digitaler Experimentierraum in der Bibliothek Hagenow", Meta(html, "og:title"));
        Assert.Equal(
            "Anmeldung zum CDO-Forum am Mittwoch, 11. März 2026, 13:00–14:00 Uhr, Online: Digitaler Experimentierraum in der Bibliothek Hagenow. Die Teilnahme ist kostenfrei.",
            Meta(html, "description"));
    }

    [Fact]
    public async Task Event_page_json_ld_is_valid_and_matches_the_page()
    {
        var html = await GetHtmlAsync(SeedPage);
        using var json = JsonLd(html);
        var data = json.RootElement;

        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal("Event", data.GetProperty("@type").GetString());
        Assert.Equal(Heading(html), data.GetProperty("name").GetString());
        Assert.Equal("Digitaler Experimentierraum in der Bibliothek Hagenow", data.GetProperty("name").GetString());
        Assert.Equal("2026-03-11T13:00:00+01:00", data.GetProperty("startDate").GetString());
        Assert.Equal("2026-03-11T14:00:00+01:00", data.GetProperty("endDate").GetString());
        Assert.Equal("https://schema.org/OnlineEventAttendanceMode", data.GetProperty("eventAttendanceMode").GetString());
        var location = data.GetProperty("location");
        Assert.Equal("VirtualLocation", location.GetProperty("@type").GetString());
        Assert.Equal(PublicUrl + SeedPage, location.GetProperty("url").GetString());
        Assert.Equal(PublicUrl + SeedPage, data.GetProperty("url").GetString());
        Assert.Equal(PublicUrl + "/img/vorschau.png", data.GetProperty("image").GetString());
        var organizer = data.GetProperty("organizer");
        Assert.Equal("Organization", organizer.GetProperty("@type").GetString());
        Assert.Equal("Koordinierungs- und Transferstelle Modellprojekte Smart Cities", organizer.GetProperty("name").GetString());
        Assert.Equal("https://www.smart-city-dialog.de/", organizer.GetProperty("url").GetString());
        Assert.True(data.GetProperty("isAccessibleForFree").GetBoolean());
        var performers = data.GetProperty("performer").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Frederike Haupt", "Lea-Marie Rokitta", "Claudia Kaltenbach"], performers);
        Assert.All(performers, name => Assert.Contains(name!, html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_person_event_in_summer_has_a_place_and_the_summer_time_offset()
    {
        await site.ImportAsync(TestEvents.Future("seo-praesenz", date: "2027-07-14") with
        {
            Format = "in-person",
            Location = "Rathaus Hagenow, Lange Straße 28, 19230 Hagenow",
        });

        var html = await GetHtmlAsync("/veranstaltungen/seo-praesenz");
        using var json = JsonLd(html);
        var data = json.RootElement;

        Assert.Equal("2027-07-14T13:00:00+02:00", data.GetProperty("startDate").GetString());
        Assert.Equal("2027-07-14T14:00:00+02:00", data.GetProperty("endDate").GetString());
        Assert.Equal("https://schema.org/OfflineEventAttendanceMode", data.GetProperty("eventAttendanceMode").GetString());
        var location = data.GetProperty("location");
        Assert.Equal("Place", location.GetProperty("@type").GetString());
        Assert.Equal("Rathaus Hagenow, Lange Straße 28, 19230 Hagenow", location.GetProperty("name").GetString());
        Assert.Contains("Rathaus Hagenow, Lange Straße 28, 19230 Hagenow", html, StringComparison.Ordinal);
        Assert.True(data.GetProperty("isAccessibleForFree").GetBoolean());
        Assert.Contains("Die Teilnahme ist kostenfrei.", html, StringComparison.Ordinal);
        Assert.StartsWith("Mittwoch, 14. Juli 2027, 13:00–14:00 Uhr, Rathaus Hagenow, Lange Straße 28, 19230 Hagenow.", Meta(html, "description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hybrid_event_has_a_place_and_a_virtual_location_but_never_the_access_details()
    {
        const string access = "https://meet.example.org/j/4711?pwd=geheim-0815";
        await site.ImportAsync(TestEvents.Future("seo-hybrid", date: "2027-09-08") with
        {
            Format = "hybrid",
            Location = "Stadtbibliothek Hagenow",
            OnlineAccess = access,
        });

        var html = await GetHtmlAsync("/veranstaltungen/seo-hybrid");
        using var json = JsonLd(html);
        var data = json.RootElement;

        Assert.DoesNotContain("meet.example.org", html, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim", html, StringComparison.Ordinal);
        Assert.Equal("https://schema.org/MixedEventAttendanceMode", data.GetProperty("eventAttendanceMode").GetString());
        var locations = data.GetProperty("location").EnumerateArray().ToList();
        Assert.Equal(["Place", "VirtualLocation"], locations.Select(l => l.GetProperty("@type").GetString()));
        Assert.Equal("Stadtbibliothek Hagenow", locations[0].GetProperty("name").GetString());
        Assert.Equal(PublicUrl + "/veranstaltungen/seo-hybrid", locations[1].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Event_text_cannot_break_out_of_the_json_ld_block()
    {
        const string title = "Daten & Dienste </script><script>alert(1)</script> \"im\" Dialog";
        await site.ImportAsync(TestEvents.Future("seo-markup", date: "2027-10-13") with
        {
            Title = title,
            Description = ["Ein Text mit <b>Markup</b> & </SCRIPT> darin."],
        });

        var html = await GetHtmlAsync("/veranstaltungen/seo-markup");

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Regex.Count(html, "</script>", RegexOptions.IgnoreCase));
        using var json = JsonLd(html);
        Assert.Equal(title, json.RootElement.GetProperty("name").GetString());
        Assert.Contains("<b>Markup</b> & </SCRIPT>", json.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("CDO-Forum am 13. Oktober 2027: Daten & Dienste </script>", Meta(html, "og:title"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sitemap_lists_the_start_page_and_public_event_pages_with_their_last_change()
    {
        await site.ImportAsync(TestEvents.Future("seo-sitemap", date: "2027-11-10"));
        var client = site.CreateClient();
        await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), "seo-sitemap", "sitemap.test@hagenow.de");
        var updated = await site.WithDbAsync(db => db.Events.Where(e => e.Slug == "seo-sitemap").Select(e => e.UpdatedAtUtc).SingleAsync(TestContext.Current.CancellationToken));

        using var response = await client.GetAsync("/sitemap.xml", TestContext.Current.CancellationToken);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        Assert.Equal(ns + "urlset", xml.Root!.Name);
        var entries = xml.Root.Elements(ns + "url")
            .ToDictionary(u => u.Element(ns + "loc")!.Value, u => u.Element(ns + "lastmod")?.Value);
        Assert.Contains(PublicUrl + "/", entries.Keys);
        Assert.Contains(PublicUrl + SeedPage, entries.Keys);
        var lastChange = entries[PublicUrl + "/veranstaltungen/seo-sitemap"];
        Assert.Equal(
            DateTime.SpecifyKind(updated, DateTimeKind.Utc),
            DateTime.Parse(lastChange!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal));
        Assert.All(entries.Keys, loc => Assert.StartsWith(PublicUrl + "/", loc, StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Keys, loc => loc.Contains("/anmeldung", StringComparison.Ordinal) || loc.Contains("/intern", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Robots_txt_disallows_staff_area_and_participant_pages_and_names_the_sitemap()
    {
        using var response = await site.CreateClient().GetAsync("/robots.txt", TestContext.Current.CancellationToken);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.TrimEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("User-agent: *", lines);
        Assert.Contains("Disallow: /intern", lines);
        Assert.Contains("Disallow: /anmeldung/", lines);
        Assert.Contains($"Sitemap: {PublicUrl}/sitemap.xml", lines);
        // The public sign-up form (/veranstaltungen/…/anmeldung) must stay crawlable: no rule may cover it.
        Assert.DoesNotContain(lines, l => l.StartsWith("Disallow: /veranstaltungen", StringComparison.Ordinal) || l == "Disallow: /");
    }

    [Fact]
    public async Task Participant_page_is_noindex_and_carries_no_preview_tags()
    {
        await site.ImportAsync(TestEvents.Future("seo-teilnahme", date: "2027-12-08"));
        var participantPage = await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), "seo-teilnahme", "teilnahme.test@hagenow.de");
        Assert.StartsWith("/anmeldung/", participantPage, StringComparison.Ordinal);

        using var response = await site.CreateClient().GetAsync(participantPage, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertPrivate(response, html);
        Assert.DoesNotContain(participantPage, await GetHtmlAsync("/sitemap.xml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/intern/anmelden", HttpStatusCode.OK)]
    [InlineData("/gibt-es-nicht", HttpStatusCode.NotFound)]
    [InlineData("/veranstaltungen/gibt-es-nicht", HttpStatusCode.NotFound)]
    [InlineData("/anmeldung/kein-gueltiger-link", HttpStatusCode.NotFound)]
    public async Task Staff_and_error_pages_are_noindex_and_carry_no_preview_tags(string path, HttpStatusCode expected)
    {
        using var response = await site.CreateClient().GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        AssertPrivate(response, html);
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/apple-touch-icon.png", "image/png")]
    [InlineData("/img/vorschau.png", "image/png")]
    public async Task Icons_and_preview_image_are_served_by_the_site(string path, string contentType)
    {
        using var response = await site.CreateClient().GetAsync(path, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        switch (contentType)
        {
            case "image/x-icon":
                Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]);
                Assert.Equal(3, BitConverter.ToUInt16(bytes, 4)); // 16, 32 and 48 px
                break;
            case "image/png":
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
                break;
            default:
                Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
                break;
        }

        if (path == "/img/vorschau.png")
        {
            // IHDR: width and height, big-endian, at bytes 16 and 20.
            Assert.Equal(1200, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(630, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }
    }

    [Theory]
    [InlineData("Kurz und gut.", 20, "Kurz und gut.")]
    [InlineData("Eins zwei  drei\n vier", 50, "Eins zwei drei vier")]
    [InlineData("Ein langer Satz, der nicht passt", 18, "Ein langer Satz…")]
    [InlineData("Unteilbarlangeswortohneleerzeichen", 10, "Unteilbar…")]
    public void Summary_is_cut_at_a_word_and_never_longer_than_asked(string text, int maxLength, string expected)
    {
        var shortened = EventTexts.Shorten(text, maxLength);

        Assert.Equal(expected, shortened);
        Assert.True(shortened.Length <= maxLength);
    }

    private static void AssertPrivate(HttpResponseMessage response, string html)
    {
        Assert.Equal("noindex, nofollow", string.Join(", ", response.Headers.GetValues("X-Robots-Tag")));
        Assert.Contains("""<meta name="robots" content="noindex, nofollow">""", html, StringComparison.Ordinal);
        Assert.Null(Canonical(html));
        Assert.Null(Meta(html, "description"));
        Assert.DoesNotContain("property=\"og:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"twitter:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("application/ld+json", html, StringComparison.Ordinal);
    }

    private async Task<string> GetHtmlAsync(string path) =>
        await site.CreateClient().GetStringAsync(path, TestContext.Current.CancellationToken);

    private static string? Meta(string html, string key)
    {
        var match = Regex.Match(html, $"""<meta (?:name|property)="{Regex.Escape(key)}" content="([^"]*)">""");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    private static string? Canonical(string html)
    {
        var match = CanonicalLink().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    private static string Heading(string html) => WebUtility.HtmlDecode(FirstHeading().Match(html).Groups[1].Value);

    private static JsonDocument JsonLd(string html)
    {
        var blocks = JsonLdBlock().Matches(html);
        Assert.Single(blocks);
        return JsonDocument.Parse(blocks[0].Groups[1].Value);
    }

    [GeneratedRegex("""<link rel="canonical" href="([^"]*)">""")]
    private static partial Regex CanonicalLink();

    [GeneratedRegex("<h1>([^<]*)</h1>")]
    private static partial Regex FirstHeading();

    [GeneratedRegex("""<script type="application/ld\+json">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex JsonLdBlock();
}
