using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Hagenow.CdoForum.Tests;

public sealed class AttendeeListPdfTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task List_is_sorted_by_last_then_first_name_in_German_order()
    {
        AttendeeListEntry[] entries =
        [
            new("Zander", "Anna", "Stadt Zossen", null),
            new("Özdemir", "Can", "Landkreis Ostholstein", null),
            new("Müller", "Bernd", "Stadt Hagenow", null),
            new("Müller", "Anna", "Stadt Hagenow", null),
            new("Ärmel", "Xaver", "Gemeinde Aach", null),
            new("Becker", "Lisa", "Stadt Bamberg", null),
            new("Oswald", "Jan", "Stadt Olpe", null),
        ];

        var text = string.Join(" ", PdfText.Pages(await RenderAsync(entries)));

        string[] expected =
        [
            "1 Ärmel, Xaver", "2 Becker, Lisa", "3 Müller, Anna", "4 Müller, Bernd", "5 Oswald, Jan", "6 Özdemir, Can", "7 Zander, Anna",
        ];
        Assert.All(expected, row => Assert.Contains(row, text, StringComparison.Ordinal));
        var positions = expected.Select(row => text.IndexOf(row, StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task Every_page_has_title_date_the_column_headers_a_signature_line_per_row_and_its_number()
    {
        var entries = Enumerable.Range(1, 60).Select(i => new AttendeeListEntry($"Nachname{i:000}", "Vorname", "Stadt Hagenow", null)).ToList();

        var pdf = await RenderAsync(entries);

        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.StartsWith("Teilnehmendenliste CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow Mittwoch, 11. März 2026, 13:00–14:00 Uhr", pages[i], StringComparison.Ordinal);
            Assert.Contains("Nr. Name Organisation (Funktion) Unterschrift", pages[i], StringComparison.Ordinal);
            Assert.Contains($"Seite {i + 1} von {pages.Count}", pages[i], StringComparison.Ordinal);
        }

        using var document = PdfDocument.Open(pdf);
        var signatureColumnLeft = PdfText.A4Width * 0.6;
        var rowsSeen = 0;
        foreach (var page in document.GetPages())
        {
            var rows = System.Text.RegularExpressions.Regex.Count(PdfText.TextOf(page), "Nachname\\d{3}, Vorname");
            var signatureLines = page.Paths.Count(p => p.IsStroked && p.GetBoundingRectangle() is { } r
                && r.Left > signatureColumnLeft && r.Width > 100 && r.Height < 1);
            Assert.Equal(rows, signatureLines);
            rowsSeen += rows;
        }

        Assert.Equal(60, rowsSeen);
        Assert.Empty(PdfText.LettersOutside(pdf, PdfText.Millimetres(22) - 0.5, PdfText.A4Width - PdfText.Millimetres(22) + 0.5, PdfText.Millimetres(10), PdfText.A4Height - PdfText.Millimetres(18) + 0.5));
    }

    [Fact]
    public async Task Organisation_and_function_are_shown_and_long_ones_wrap_inside_the_margins()
    {
        AttendeeListEntry[] entries =
        [
            new("Kaltenbach", "Claudia", "Stadtbibliothek Hagenow", "Leiterin"),
            new("Schmidt-Überlänge", "Maximiliane-Friederike",
                "Amt für Digitalisierung, Organisation und Informationstechnik der Hansestadt Rostock und des Landkreises Rostock",
                "Sachgebietsleiterin Informationssicherheit und Datenschutz"),
        ];

        var pdf = await RenderAsync(entries);

        var text = PdfText.Pages(pdf)[0];
        Assert.Contains("1 Kaltenbach, Claudia Stadtbibliothek Hagenow Leiterin", text, StringComparison.Ordinal);
        Assert.Contains("Amt für Digitalisierung, Organisation und Informationstechnik der Hansestadt Rostock und des Landkreises Rostock", text, StringComparison.Ordinal);
        Assert.Contains("Sachgebietsleiterin Informationssicherheit und Datenschutz", text, StringComparison.Ordinal);
        Assert.Empty(PdfText.LettersOutside(pdf, PdfText.Millimetres(22) - 0.5, PdfText.A4Width - PdfText.Millimetres(22) + 0.5, PdfText.Millimetres(10), PdfText.A4Height));
    }

    [Fact]
    public async Task The_list_says_as_of_when_it_was_printed_by_the_site_clock_and_how_many_people()
    {
        // The site's clock stands at 26.11.2026, 10:00 Berlin time.
        _site.Clock.Advance(TimeSpan.FromMinutes((7 * 60) + 5));

        var text = PdfText.Pages(await RenderAsync([new("Haupt", "Frederike", "KTS", null), new("Rokitta", "Lea-Marie", "KTS", null)]))[0];

        Assert.Contains("2 Personen · Stand: 26.11.2026, 17:05 Uhr", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_says_there_are_no_registrations()
    {
        var pdf = await RenderAsync([]);

        var pages = PdfText.Pages(pdf);
        Assert.Single(pages);
        Assert.Contains("0 Personen", pages[0], StringComparison.Ordinal);
        Assert.Contains("Für diese Veranstaltung liegen keine Anmeldungen vor.", pages[0], StringComparison.Ordinal);
        Assert.Contains("Seite 1 von 1", pages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_thousand_entries_render_to_numbered_pages()
    {
        var entries = Enumerable.Range(1, 5000)
            .Select(i => new AttendeeListEntry($"Nachname{i:0000}", $"Vorname{i}", i % 2 == 0 ? "Stadt Hagenow" : "Landkreis Ludwigslust-Parchim", i % 3 == 0 ? "Sachbearbeitung" : null))
            .Reverse()
            .ToList();

        var pdf = await RenderAsync(entries);

        using var document = PdfDocument.Open(pdf);
        var count = document.NumberOfPages;
        Assert.InRange(count, 100, 500);
        var first = PdfText.TextOf(document.GetPage(1));
        var last = PdfText.TextOf(document.GetPage(count));
        Assert.Contains("1 Nachname0001, Vorname1", first, StringComparison.Ordinal);
        Assert.Contains("5000 Nachname5000, Vorname5000", last, StringComparison.Ordinal);
        Assert.Contains($"Seite {count} von {count}", last, StringComparison.Ordinal);
        Assert.Contains("5000 Personen", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Door_list_is_tagged_with_its_head_once_and_one_table_row_per_person()
    {
        var entries = Enumerable.Range(1, 60).Select(i => new AttendeeListEntry($"Nachname{i:000}", $"Vorname{i}", "Stadt Hagenow", i % 2 == 0 ? "Sachbearbeitung" : null)).ToList();
        var pdf = await RenderAsync(entries);
        Assert.True(PdfText.Pages(pdf).Count >= 3);

        var tree = await PdfStructure.StructTextAsync(pdf);

        var elements = PdfStructure.Elements(tree);
        Assert.Equal("Document", elements[0]);
        Assert.Single(elements, "H1");
        Assert.Single(elements, "Table");
        Assert.Equal(4, elements.Count(e => e == "TH"));
        Assert.Equal(1 + 60, elements.Count(e => e == "TR"));
        Assert.Equal(60 * 4, elements.Count(e => e == "TD"));
        var tagged = PdfStructure.TaggedText(tree);
        Assert.StartsWith("Teilnehmendenliste CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow Mittwoch, 11. März 2026, 13:00–14:00 Uhr", tagged, StringComparison.Ordinal);
        Assert.Single(tagged.Split("Nr. Name Organisation (Funktion) Unterschrift")[1..]);
        var at = 0;
        for (var i = 1; i <= 60; i++)
        {
            var row = $"{i} Nachname{i:000}, Vorname{i} Stadt Hagenow" + (i % 2 == 0 ? " Sachbearbeitung" : "");
            var found = tagged.IndexOf(row, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"row '{row}' missing or out of order");
            at = found + row.Length;
        }

        Assert.DoesNotContain("Seite", tagged, StringComparison.Ordinal);
        Assert.DoesNotContain("nach Gebrauch vernichten", tagged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_glyph_of_the_door_list_lies_outside_marked_content_and_repeated_heads_are_artifacts()
    {
        var entries = Enumerable.Range(1, 60).Select(i => new AttendeeListEntry($"Nachname{i:000}", "Vorname", "Stadt Hagenow", null)).ToList();

        foreach (var pdf in new[] { await RenderAsync(entries), await RenderAsync([]) })
        {
            Assert.Empty(PdfStructure.LettersOutsideMarkedContent(pdf));
            var artifacts = PdfStructure.ArtifactText(pdf);
            for (var page = 0; page < artifacts.Count; page++)
            {
                Assert.Contains($"Seite {page + 1} von {artifacts.Count}", artifacts[page], StringComparison.Ordinal);
                if (page > 0)
                {
                    Assert.StartsWith("Teilnehmendenliste", artifacts[page], StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>Renders with the service the staff area uses, for the seed event.</summary>
    private async Task<byte[]> RenderAsync(IEnumerable<AttendeeListEntry> entries)
    {
        var ev = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));
        using var output = new MemoryStream();
        _site.Services.GetRequiredService<AttendeeListPdf>().Render(ev, entries, output);
        return output.ToArray();
    }
}
