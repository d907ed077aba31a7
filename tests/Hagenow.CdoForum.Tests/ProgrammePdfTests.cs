using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Documents;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Drawing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace Hagenow.CdoForum.Tests;

/// <summary>One site for the class: the tests read the seed or import events of their own; those that change the seed or
/// the configuration start a site of their own.</summary>
public sealed class ProgrammePdfTests(SharedSite shared) : IClassFixture<SharedSite>
{
    private const string SeedUrl = "/veranstaltungen/cdo-forum-2026-03-11/programm.pdf";

    private readonly SiteFactory _site = shared;

    [Fact]
    public async Task Seed_programme_is_one_A4_page_with_every_fact_of_the_event()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        var page = document.GetPage(1);
        Assert.Equal(PdfText.A4Width, page.Width, 1.0);
        Assert.Equal(PdfText.A4Height, page.Height, 1.0);
        var text = PdfText.TextOf(page);
        string[] facts =
        [
            "CDO-Forum",
            "Digitaler Experimentierraum in der Bibliothek Hagenow",
            "Mittwoch, 11. März 2026, 13:00–14:00 Uhr",
            "Online",
            "Hintergrund und Ziel",
            "Bestandteil des Smart City Konzepts des Modellprojekts Smart Cities (MPSC) Hagenow ist ein digitaler Experimentierraum.",
            "was lag da näher, als diesen Experimentierraum in den Räumlichkeiten der Bibliothek zu installieren?",
            "Ihnen gerne in der anschließenden Diskussionsrunde beantworten wird.",
            "Uhrzeit", "Programmpunkt", "Mitwirkende",
            "13:00 Begrüßung Frederike Haupt Lea-Marie Rokitta Koordinierungs- und Transferstelle Modellprojekte Smart Cities",
            "13:05 Impulsvortrag „Digitaler Experimentierraum in der Bibliothek Hagenow“ Claudia Kaltenbach Leiterin der Stadtbibliothek Hagenow, MPSC Hagenow",
            "13:30 Zeit für Fragen und Diskussion",
            "13:55 Zusammenfassung und Ausblick Frederike Haupt Lea-Marie Rokitta Koordinierungs- und Transferstelle Modellprojekte Smart Cities",
            "14:00 Abschluss",
            "Veranstalter", "Koordinierungs- und Transferstelle Modellprojekte Smart Cities (KTS)",
            "c/o IQIB",
            "Institut für qualifizierende Innovationsforschung und -beratung (IQIB) GmbH, Bad Neuenahr-Ahrweiler",
            "Partnerin der KTS für Wissenstransfer",
            "Telefon: +49 2641 / 973 – 560",
            "Hotline: +49 30 / 67055 – 9999",
            "E-Mail: smartekommunen@iqib.de",
            "Webseite: https://www.smart-city-dialog.de",
            "Bei Rückfragen zu dieser Veranstaltung wenden Sie sich bitte an das Team Wissenstransfer.",
            "Gefördert durch",
            "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
            "Bundesministerium für Landwirtschaft, Ernährung und Heimat",
            "Programm und Anmeldung: http://localhost:5080/veranstaltungen/cdo-forum-2026-03-11",
        ];
        Assert.All(facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
        Assert.DoesNotContain("Seite 1 von", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Programme_stays_inside_the_print_margins()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        Assert.Empty(OutsideMargins(pdf));
    }

    [Fact]
    public async Task Programme_names_title_author_subject_and_language_de()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        using var document = PdfDocument.Open(pdf);
        Assert.Equal("CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow", document.Information.Title);
        Assert.Equal("Koordinierungs- und Transferstelle Modellprojekte Smart Cities", document.Information.Author);
        Assert.Equal("Programm, Mittwoch, 11. März 2026, 13:00–14:00 Uhr", document.Information.Subject);
        Assert.True(document.Structure.Catalog.CatalogDictionary.TryGet(NameToken.Create("Lang"), out var lang));
        Assert.Equal("de", Assert.IsType<StringToken>(lang).Data);
    }

    [Fact]
    public async Task Programme_is_tagged_and_its_structure_tree_holds_every_text_of_the_seed_in_reading_order()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        var tree = await PdfStructure.StructTextAsync(pdf);

        var elements = PdfStructure.Elements(tree);
        Assert.Equal("Document", elements[0]);
        Assert.Single(elements, "H1");
        Assert.Equal(2, elements.Count(e => e == "H2"));
        Assert.Single(elements, "Table");
        Assert.Equal(3, elements.Count(e => e == "TH"));
        Assert.Equal(6, elements.Count(e => e == "TR"));
        Assert.Equal(5 * 3, elements.Count(e => e == "TD"));
        Assert.Equal(2, elements.Count(e => e == "LI"));
        Assert.Equal(3, tree.Split("/Scope /Column").Length - 1);

        var seed = TestEvents.Seed();
        var organiser = seed.Organiser!;
        List<string> texts =
        [
            seed.Series!, seed.Title!, seed.DescriptionHeading!, .. seed.Description!, "Uhrzeit", "Programmpunkt", "Mitwirkende",
            .. seed.Agenda!.SelectMany(a => new[] { a.Time!, a.Title! }.Concat(a.Speakers?.Select(sp => sp.Name!) ?? [])),
            $"{organiser.Name} ({organiser.ShortName})", .. organiser.CareOf!, organiser.ContactNote!, .. seed.Funders!,
        ];
        var tagged = PdfStructure.TaggedText(tree);
        var at = 0;
        foreach (var text in texts)
        {
            var found = tagged.IndexOf(Html.Fold(text), at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{text}' is not in the structure tree after position {at}:\n{tagged}");
            at = found + Html.Fold(text).Length;
        }
        // Wrapped lines keep their word space for screen readers.
        Assert.Contains("Experimentierraum in der Bibliothek Hagenow", tagged, StringComparison.Ordinal);
        // The footer is page furniture, not content.
        Assert.DoesNotContain("Programm und Anmeldung:", tagged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_glyph_of_the_programme_lies_outside_marked_content_and_the_footer_is_an_artifact()
    {
        await _site.ImportAsync(LongEvent("cdo-forum-lang-tagged"));

        foreach (var url in new[] { SeedUrl, "/veranstaltungen/cdo-forum-lang-tagged/programm.pdf" })
        {
            var pdf = await GetPdfAsync(url);

            Assert.Empty(PdfStructure.LettersOutsideMarkedContent(pdf));
            var artifacts = PdfStructure.ArtifactText(pdf);
            Assert.All(artifacts, page => Assert.Contains("ProgrammundAnmeldung:", page.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        }

        // On later pages the repeated table header is an artifact; the tree has the header cells once.
        var longPdf = await GetPdfAsync("/veranstaltungen/cdo-forum-lang-tagged/programm.pdf");
        Assert.True(PdfText.Pages(longPdf).Count >= 3);
        Assert.Equal(3, PdfStructure.Elements(await PdfStructure.StructTextAsync(longPdf)).Count(e => e == "TH"));
        Assert.All(PdfStructure.ArtifactText(longPdf).Skip(1), page => Assert.Contains("UhrzeitProgrammpunktMitwirkende", page.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Programme_is_marked_PDF_UA_with_title_shown_in_the_window_and_XMP_title()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        var info = await PdfStructure.InfoAsync(pdf);
        Assert.Matches(@"Tagged:\s+yes", info);
        var xmp = await PdfStructure.MetadataAsync(pdf);
        Assert.Contains("<pdfuaid:part>1</pdfuaid:part>", xmp, StringComparison.Ordinal);
        Assert.Contains("<rdf:li xml:lang=\"x-default\">CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow</rdf:li>", xmp, StringComparison.Ordinal);
        using var document = PdfDocument.Open(pdf);
        var catalog = document.Structure.Catalog.CatalogDictionary;
        Assert.True(catalog.TryGet(NameToken.Create("Lang"), out var lang));
        Assert.Equal("de", Assert.IsType<StringToken>(lang).Data);
        Assert.True(catalog.TryGet(NameToken.Create("ViewerPreferences"), out var preferencesToken));
        var preferences = preferencesToken as DictionaryToken
            ?? document.Structure.GetObject(((IndirectReferenceToken)preferencesToken).Data).Data as DictionaryToken;
        Assert.NotNull(preferences);
        Assert.True(preferences.TryGet(NameToken.Create("DisplayDocTitle"), out var display));
        Assert.True(Assert.IsType<BooleanToken>(display).Data);
    }

    [Fact]
    public async Task A_title_with_markup_characters_is_escaped_in_the_XMP()
    {
        await _site.ImportAsync(TestEvents.Future("cdo-forum-xmp") with { Title = "Daten & Dienste <für> \"alle\"" });

        var xmp = await PdfStructure.MetadataAsync(await GetPdfAsync("/veranstaltungen/cdo-forum-xmp/programm.pdf"));

        Assert.Contains("Daten &amp; Dienste &lt;für&gt; &quot;alle&quot;", xmp, StringComparison.Ordinal);
        var parsed = System.Xml.Linq.XDocument.Parse(xmp[xmp.IndexOf("<x:xmpmeta", StringComparison.Ordinal)..(xmp.IndexOf("</x:xmpmeta>", StringComparison.Ordinal) + "</x:xmpmeta>".Length)]);
        Assert.Contains(parsed.Descendants(), e => e.Value == "CDO-Forum: Daten & Dienste <für> \"alle\"");
    }

    [Fact]
    public async Task Fonts_are_embedded_TrueType_subsets_and_umlauts_dashes_and_quotes_read_back()
    {
        var pdf = await GetPdfAsync(SeedUrl);

        var raw = Encoding.Latin1.GetString(pdf);
        Assert.Contains("/FontFile2", raw, StringComparison.Ordinal);
        using var document = PdfDocument.Open(pdf);
        var letters = document.GetPage(1).Letters;
        // A subset's font name carries a six-letter tag: "ABCDEF+Open Sans".
        Assert.All(letters.Select(l => l.FontName).Distinct(), name => Assert.Matches("^[A-Z]{6}\\+Open ?Sans", name));
        Assert.True(letters.Select(l => l.FontName).Distinct().Count() >= 3, "regular, semibold and bold faces are used");
        var text = PdfText.TextOf(document.GetPage(1));
        Assert.Contains("Begrüßung", text, StringComparison.Ordinal);
        Assert.Contains("Ernährung", text, StringComparison.Ordinal);
        Assert.Contains("„Digitaler Experimentierraum in der Bibliothek Hagenow“", text, StringComparison.Ordinal);
        Assert.Contains("13:00–14:00", text, StringComparison.Ordinal);
        // Subsets, not the whole four faces (each about 220 KB).
        Assert.True(pdf.Length < 200_000, $"the PDF is {pdf.Length} bytes");
    }

    [Fact]
    public async Task Long_agenda_flows_onto_more_pages_inside_the_margins_with_the_table_header_repeated()
    {
        await _site.ImportAsync(LongEvent("cdo-forum-lang"));

        var pdf = await GetPdfAsync("/veranstaltungen/cdo-forum-lang/programm.pdf");

        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.Empty(OutsideMargins(pdf));
        using (var document = PdfDocument.Open(pdf))
        {
            Assert.All(document.GetPages(), p =>
            {
                Assert.Equal(PdfText.A4Width, p.Width, 1.0);
                Assert.Equal(PdfText.A4Height, p.Height, 1.0);
            });
        }

        var all = string.Join(" ", pages);
        for (var i = 1; i <= 20; i++)
        {
            Assert.Contains($"Programmpunkt {i}: Ein ausgesprochen langer Titel über Datenstrategien", all, StringComparison.Ordinal);
            Assert.Contains($"Referentin Nummer {i} ", all, StringComparison.Ordinal);
        }

        // Every page the table reaches starts with its header; every page is numbered.
        var tablePages = pages.Where(p => p.Contains("Referentin Nummer", StringComparison.Ordinal)).ToList();
        Assert.True(tablePages.Count >= 2);
        Assert.All(tablePages, p => Assert.Contains("Uhrzeit Programmpunkt Mitwirkende", p, StringComparison.Ordinal));
        Assert.All(pages.Skip(1).Where(tablePages.Contains), p => Assert.StartsWith("Uhrzeit Programmpunkt Mitwirkende", p, StringComparison.Ordinal));
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Seite {i + 1} von {pages.Count}", pages[i], StringComparison.Ordinal);
        }

        // The closing block comes once, after the last agenda item.
        Assert.Single(pages, p => p.Contains("Gefördert durch", StringComparison.Ordinal));
        Assert.True(all.IndexOf("Gefördert durch", StringComparison.Ordinal) > all.IndexOf("Programmpunkt 20:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Endpoint_serves_an_inline_pdf_with_file_name_etag_and_cache_control()
    {
        using var response = await _site.CreateClient().GetAsync(SeedUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline; filename=CDO-Forum-2026-03-11-Programm.pdf", response.Content.Headers.ContentDisposition?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.StartsWith("\"cdo-forum-2026-03-11-0-r", response.Headers.ETag.Tag, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(body, 0, 5));
    }

    [Fact]
    public async Task Same_etag_answers_304_without_a_body_and_a_stale_one_gets_the_pdf()
    {
        var client = _site.CreateClient();
        using var first = await client.GetAsync(SeedUrl, TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, SeedUrl);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(etag, notModified.Headers.ETag);

        using var stale = new HttpRequestMessage(HttpMethod.Get, SeedUrl);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"cdo-forum-2026-03-11-old\""));
        using var full = await client.SendAsync(stale, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("application/pdf", full.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_changed_event_gets_a_new_etag_and_a_freshly_rendered_pdf()
    {
        // Changes the seed event: a site of its own.
        using var site = new SiteFactory();
        var client = site.CreateClient();
        using var before = await client.GetAsync(SeedUrl, TestContext.Current.CancellationToken);

        await site.ImportAsync(TestEvents.Seed() with { Title = "Neuer Titel: Bürgerbeteiligung digital" });
        using var after = await client.GetAsync(SeedUrl, TestContext.Current.CancellationToken);

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var text = PdfText.Pages(await after.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken))[0];
        Assert.Contains("Neuer Titel: Bürgerbeteiligung digital", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Digitaler Experimentierraum in der Bibliothek Hagenow Mittwoch", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_event_gets_the_sites_404_page()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/veranstaltungen/gibt-es-nicht/programm.pdf");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_names_the_font_the_pdfs_use()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        // Status words only (issue 19): the font and its folder go to the log, not to anyone who asks.
        Assert.Contains("fonts: Healthy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_font_folder_comes_first()
    {
        // Configuration is read at start: a site of its own.
        using var site = new SiteFactory();
        var folder = Directory.CreateDirectory(Path.Combine(site.Folder, "schriften")).FullName;
        foreach (var file in Directory.GetFiles(FontLocator.ShippedFolder, "*.ttf"))
        {
            // Lower-case names: the search matches file names regardless of case.
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file).ToLowerInvariant()));
        }

        site.With("Documents:FontDirectory", folder);

        var (_, health) = await site.CreateClient().GetTextAsync("/healthz");
        Assert.Contains("fonts: Healthy", health, StringComparison.Ordinal);
        Assert.Contains("Begrüßung", PdfText.Pages(await GetPdfAsync(site, SeedUrl))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_configured_font_folder_is_reported_and_the_shipped_fonts_step_in()
    {
        using var site = new SiteFactory();
        var empty = Directory.CreateDirectory(Path.Combine(site.Folder, "leer")).FullName;
        site.With("Documents:FontDirectory", empty);

        var (status, health) = await site.CreateClient().GetTextAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("fonts: Degraded", health, StringComparison.Ordinal);
        Assert.Single(PdfText.Pages(await GetPdfAsync(site, SeedUrl)));
    }

    [Fact]
    public async Task Without_any_font_healthz_says_so_and_the_pdf_answers_503()
    {
        using var own = new SiteFactory();
        var searched = new[] { Path.Combine(own.Folder, "nirgends") };
        using var site = own.WithWebHostBuilder(b => b.ConfigureTestServices(
            services => services.AddSingleton(new PdfFonts(FontLocator.Find(searched), null, searched))));
        var client = site.CreateClient();

        var (status, health) = await client.GetTextAsync("/healthz");
        using var response = await client.GetAsync(SeedUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("fonts: Unhealthy", health, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("Ein ganz normaler Satz, der über mehrere Zeilen umbrochen werden muss, weil er lang ist.", 120)]
    [InlineData("Donaudampfschifffahrtsgesellschaftskapitänswitwenverein und https://www.smart-city-dialog.de/veranstaltungen/cdo-forum", 80)]
    [InlineData("Kurz", 300)]
    [InlineData("", 100)]
    public void Wrapped_lines_never_exceed_the_width_and_lose_no_letter(string text, double width)
    {
        var font = PdfFontResolver.Font(PdfFonts.Default.Set!, 10, FontFace.Regular);
        using var gfx = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);

        var lines = TextWrap.Wrap(gfx, text, font, width);

        Assert.All(lines, line => Assert.True(gfx.MeasureString(line, font).Width <= width + 0.01, $"'{line}' is wider than {width}"));
        var expected = text.Replace(" ", "", StringComparison.Ordinal);
        // Breaking between two letters adds a hyphen; nothing else is added or lost.
        Assert.Equal(expected, RemoveAddedHyphens(lines, expected));
    }

    private static string RemoveAddedHyphens(List<string> lines, string expected)
    {
        var joined = new StringBuilder();
        foreach (var line in lines)
        {
            var piece = line.Replace(" ", "", StringComparison.Ordinal);
            if (piece.EndsWith('-') && !expected.AsSpan(joined.Length).StartsWith(piece, StringComparison.Ordinal))
            {
                piece = piece[..^1];
            }

            joined.Append(piece);
        }

        return joined.ToString();
    }

    /// <summary>22 mm left and right, and nothing closer than 10 mm to the top or bottom edge.</summary>
    private static List<string> OutsideMargins(byte[] pdf) =>
        PdfText.LettersOutside(
            pdf,
            left: PdfText.Millimetres(22) - 0.5,
            right: PdfText.A4Width - PdfText.Millimetres(22) + 0.5,
            bottom: PdfText.Millimetres(10),
            top: PdfText.A4Height - PdfText.Millimetres(18) + 0.5);

    private Task<byte[]> GetPdfAsync(string url) => GetPdfAsync(_site, url);

    private static async Task<byte[]> GetPdfAsync(SiteFactory site, string url)
    {
        using var response = await site.CreateClient().GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    private static EventDocument LongEvent(string slug)
    {
        const string LongOrganisation =
            "Zweckverband Elektronische Verwaltung in Mecklenburg-Vorpommern und Interessengemeinschaft Kommunaler Rechenzentren";
        return TestEvents.Future(slug) with
        {
            Start = "09:00",
            End = "18:00",
            Agenda =
            [
                .. Enumerable.Range(1, 20).Select(i => new EventDocument.AgendaItemDocument(
                    $"{9 + ((i - 1) / 4):00}:{(i - 1) % 4 * 15:00}",
                    $"Programmpunkt {i}: Ein ausgesprochen langer Titel über Datenstrategien, Verwaltungsdigitalisierung und die Frage, wie Kommunen gemeinsam Plattformen betreiben können",
                    "talk",
                    [
                        new EventDocument.SpeakerDocument($"Referentin Nummer {i}", "Leiterin der Stabsstelle Digitalisierung und Organisationsentwicklung", LongOrganisation),
                        new EventDocument.SpeakerDocument("Dr. Maximiliane Überlänge-Schwarzenberg", null, "Donaudampfschifffahrtsgesellschaftskapitänswitwenverein"),
                    ])),
            ],
        };
    }
}
