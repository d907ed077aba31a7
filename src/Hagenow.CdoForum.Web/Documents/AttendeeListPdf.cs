using System.Globalization;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using PdfSharp.Drawing;
using PdfSharp.UniversalAccessibility;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>One line of the Teilnehmendenliste for the door.</summary>
public sealed record AttendeeListEntry(string LastName, string FirstName, string Organisation, string? JobTitle);

/// <summary>
/// The Teilnehmendenliste as PDF for the door: A4 portrait, sorted by last and first name (German collation),
/// columns Nr., Name, Organisation (with function) and a signature field; title, date and table header on every page,
/// "Seite X von Y" in the footer. Linear in the number of entries.
/// </summary>
public sealed class AttendeeListPdf
{
    private const double SignatureRowHeight = 34;
    private static readonly PageGeometry Page = PageGeometry.A4Portrait;
    private static readonly StringComparer GermanOrder = StringComparer.Create(CultureInfo.GetCultureInfo("de-DE"), CompareOptions.IgnoreCase);

    private readonly PdfFonts _fonts;
    private readonly TimeProvider _clock;

    public AttendeeListPdf(PdfFonts fonts, TimeProvider clock)
    {
        _fonts = fonts;
        _clock = clock;
    }

    /// <summary>For callers without the container: the default font search and the system clock.</summary>
    public AttendeeListPdf()
        : this(PdfFonts.Default, TimeProvider.System)
    {
    }

    public void Render(Event ev, IEnumerable<AttendeeListEntry> entries, Stream output)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        var sorted = entries
            .OrderBy(e => e.LastName.Trim(), GermanOrder)
            .ThenBy(e => e.FirstName.Trim(), GermanOrder)
            .ToList();
        var theme = new PdfTheme(_fonts.RequireSet());
        var now = _clock.GetUtcNow();
        int pages;
        TextWidths? widths;
        using (var measuring = PageFlow.Measuring(Page))
        {
            Compose(measuring, theme, ev, sorted, now);
            pages = measuring.PageNumber;
            widths = measuring.Widths;
        }

        using var document = PdfTheme.NewDocument(
            ev, $"Teilnehmendenliste – {ev.Series}: {ev.Title}", $"Teilnehmendenliste, {EventTexts.When(ev)}", now.UtcDateTime);
        var footer = $"Teilnehmendenliste {ev.Series}, {GermanDates.ShortDate(ev.Date)} · Enthält personenbezogene Daten: nach Gebrauch vernichten.";
        using var flow = new PageFlow(document, Page)
        {
            Widths = widths,
            Footer = (gfx, number) => theme.DrawFooter(gfx, Page, footer, number, pages, showPageNumber: true),
        };
        Compose(flow, theme, ev, sorted, now);
        flow.Finish();
        PdfTheme.Save(document, output);
    }

    private void Compose(PageFlow flow, PdfTheme theme, Event ev, List<AttendeeListEntry> sorted, DateTimeOffset now)
    {
        var heading = theme.Title with { Font = PdfFontResolver.Font(_fonts.RequireSet(), 15, FontFace.Bold), LineHeight = 20 };
        var count = sorted.Count == 1 ? "1 Person" : $"{sorted.Count} Personen";
        flow.PageStarted = f =>
        {
            // The head is content on the first page and repeated page furniture on the others.
            void Head(PdfBlockLevelElementTag? title, PdfBlockLevelElementTag? text)
            {
                f.Paragraph("Teilnehmendenliste", heading, tag: title);
                f.Paragraph($"{ev.Series}: {ev.Title}", theme.Strong, spaceBefore: 2, tag: text);
                f.Paragraph($"{EventTexts.When(ev)} · {EventTexts.Place(ev)}", theme.Small, tag: text);
                f.Paragraph($"{count} · Stand: {GermanDates.DateTimeShort(now)}", theme.Small, tag: text);
            }

            if (f.PageNumber == 1)
            {
                Head(PdfBlockLevelElementTag.Heading1, PdfBlockLevelElementTag.Paragraph);
            }
            else
            {
                f.Tags.Artifact(() => Head(null, null));
            }

            f.Space(10);
        };
        flow.NewPage();

        var numberWidth = 34.0;
        var nameWidth = Math.Round(flow.Width * 0.27);
        var signatureWidth = Math.Round(flow.Width * 0.30);
        var table = new PdfTable(
            [
                new("Nr.", numberWidth, XStringAlignment.Far),
                new("Name", nameWidth),
                new("Organisation (Funktion)", flow.Width - numberWidth - nameWidth - signatureWidth),
                new("Unterschrift", signatureWidth),
            ],
            theme.Label)
        {
            HeaderBackground = PdfTheme.Tint,
            PaddingY = 6,
        };
        var signaturePen = new XPen(PdfTheme.Muted, 0.5);
        table.Begin(flow);
        if (sorted.Count == 0)
        {
            table.End(flow);
            flow.Paragraph("Für diese Veranstaltung liegen keine Anmeldungen vor.", theme.Body, spaceBefore: 8);
            return;
        }

        for (var i = 0; i < sorted.Count; i++)
        {
            var entry = sorted[i];
            var name = string.Join(", ", new[] { entry.LastName, entry.FirstName }.Select(s => s.Trim()).Where(s => s.Length > 0));
            List<TextLine>[] cells =
            [
                table.Cell(flow, 0, ((i + 1).ToString(CultureInfo.InvariantCulture), theme.Body, 0)),
                table.Cell(flow, 1, (name, theme.Strong, 0)),
                table.Cell(flow, 2, (entry.Organisation, theme.Body, 0), (entry.JobTitle, theme.Small, 0)),
                [],
            ];
            table.Row(flow, cells, SignatureRowHeight, (gfx, rects) =>
            {
                var cell = rects[3];
                gfx.DrawLine(signaturePen, cell.Left + table.PaddingX, cell.Bottom - 7, cell.Right - table.PaddingX, cell.Bottom - 7);
            });
        }

        table.End(flow);
    }
}
