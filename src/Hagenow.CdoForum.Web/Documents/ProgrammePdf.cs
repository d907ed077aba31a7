using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using PdfSharp.Drawing;
using PdfSharp.UniversalAccessibility;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>
/// The printable programme of one event: a handout in A4 portrait with the agenda as a table, the organiser's contact
/// and the funders; a long agenda flows onto further pages with the table header repeated.
/// </summary>
public sealed class ProgrammePdf(PdfFonts fonts)
{
    /// <summary>Raise when the output changes for the same event, so caches and ETags move on.</summary>
    public const int RendererVersion = 2;

    private static readonly PageGeometry Page = PageGeometry.A4Portrait;

    public byte[] Render(Event ev, Uri eventPage)
    {
        using var output = new MemoryStream();
        Render(ev, eventPage, output);
        return output.ToArray();
    }

    public void Render(Event ev, Uri eventPage, Stream output)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(eventPage);
        var theme = new PdfTheme(fonts.RequireSet());
        int pages;
        TextWidths? widths;
        using (var measuring = PageFlow.Measuring(Page))
        {
            Compose(measuring, theme, ev);
            pages = measuring.PageNumber;
            widths = measuring.Widths;
        }

        using var document = PdfTheme.NewDocument(
            ev,
            $"{ev.Series}: {ev.Title}",
            $"Programm, {EventTexts.When(ev)}",
            DateTime.SpecifyKind(ev.UpdatedAtUtc, DateTimeKind.Utc));
        var footer = $"Programm und Anmeldung: {eventPage.AbsoluteUri}";
        using var flow = new PageFlow(document, Page)
        {
            Widths = widths,
            Footer = (gfx, number) => theme.DrawFooter(gfx, Page, footer, number, pages, showPageNumber: pages > 1),
        };
        Compose(flow, theme, ev);
        flow.Finish();
        PdfTheme.Save(document, output);
    }

    private static void Compose(PageFlow flow, PdfTheme theme, Event ev)
    {
        flow.NewPage();
        DrawHead(flow, theme, ev);
        DrawDescription(flow, theme, ev);
        DrawAgenda(flow, theme, ev);
        DrawClosing(flow, theme, ev);
    }

    private static void DrawHead(PageFlow flow, PdfTheme theme, Event ev)
    {
        // A short accent bar above the series name: the handout's one ornament.
        flow.Tags.Artifact(() => flow.Gfx.DrawRectangle(new XSolidBrush(PdfTheme.Accent), flow.Left, flow.Y, 36, 4));
        flow.Space(9);
        flow.Paragraph(ev.Series, theme.Series);
        flow.Space(4);
        flow.Paragraph(ev.Title, theme.Title, tag: PdfBlockLevelElementTag.Heading1);
        flow.Space(8);
        flow.Paragraph(EventTexts.When(ev), theme.When);
        flow.Paragraph(PlaceText(ev), theme.Place);
        flow.Space(10);
        flow.Rule(PdfTheme.RuleColor);
        flow.Space(12);
    }

    internal static string PlaceText(Event ev) =>
        ev.Format == EventFormat.Online ? $"{EventTexts.Place(ev)} – {EventTexts.AccessByMail}" : EventTexts.Place(ev);

    private static void DrawDescription(PageFlow flow, PdfTheme theme, Event ev)
    {
        if (ev.DescriptionHeading is { Length: > 0 } heading)
        {
            flow.EnsureSpace(theme.Heading.LineHeight + (3 * theme.Body.LineHeight));
            flow.Paragraph(heading, theme.Heading, tag: PdfBlockLevelElementTag.Heading2);
            flow.Space(3);
        }

        foreach (var paragraph in ev.Description.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            flow.Paragraph(paragraph, theme.Body);
            flow.Space(6);
        }

        flow.Space(10);
    }

    private static void DrawAgenda(PageFlow flow, PdfTheme theme, Event ev)
    {
        if (ev.Agenda.Count == 0)
        {
            return;
        }

        var timeWidth = 48.0;
        var speakersWidth = Math.Round(flow.Width * 0.40);
        var table = new PdfTable(
            [new("Uhrzeit", timeWidth), new("Programmpunkt", flow.Width - timeWidth - speakersWidth), new("Mitwirkende", speakersWidth)],
            theme.Label)
        {
            HeaderBackground = PdfTheme.Tint,
            PaddingY = 5,
        };

        var rows = ev.Agenda.OrderBy(a => a.Time).Select(item => (IReadOnlyList<List<TextLine>>)
        [
            table.Cell(flow, 0, (GermanDates.Time(item.Time), theme.Strong, 0)),
            table.Cell(flow, 1, (item.Title, theme.Strong, 0)),
            table.Cell(flow, 2, [.. SpeakerParts(item.Speakers, theme)]),
        ]).ToList();

        flow.EnsureSpace(theme.Heading.LineHeight + 4 + table.HeaderHeight + table.RowHeight(rows[0]));
        flow.Paragraph("Programm", theme.Heading, tag: PdfBlockLevelElementTag.Heading2);
        flow.Space(4);
        table.Begin(flow, table.RowHeight(rows[0]));
        foreach (var row in rows)
        {
            table.Row(flow, row);
        }

        table.End(flow);
    }

    /// <summary>Each name on its line; function and organisation once below a run of people who share them.</summary>
    private static IEnumerable<(string? Text, TextStyle Style, double SpaceBefore)> SpeakerParts(List<Speaker> speakers, PdfTheme theme)
    {
        for (var i = 0; i < speakers.Count; i++)
        {
            var detail = Detail(speakers[i]);
            var startsGroup = i == 0 || Detail(speakers[i - 1]) != detail;
            yield return (speakers[i].Name, theme.Body, startsGroup ? 4 : 0);
            if (i == speakers.Count - 1 || Detail(speakers[i + 1]) != detail)
            {
                yield return (detail, theme.Small, 0);
            }
        }

        static string Detail(Speaker s) =>
            string.Join(", ", new[] { s.Role, s.Organisation }.Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    /// <summary>The organiser's contact and the funders; kept together and placed at the foot of the last page when there is room.</summary>
    private static void DrawClosing(PageFlow flow, PdfTheme theme, Event ev)
    {
        var organiser = ev.Organiser;
        const double Gap = 9;
        var contactWidth = Math.Round(flow.Width * 0.42);
        var box = new PdfTable([new("", flow.Width - contactWidth), new("", contactWidth)], headerStyle: null)
        {
            RowBackground = PdfTheme.Tint,
            RowRule = null,
            PaddingX = 12,
            PaddingY = 9,
        };
        List<(string?, TextStyle, double)> left = [("Veranstalter", theme.Label, 0), (EventTexts.OrganiserName(organiser), theme.SmallStrong, 3)];
        left.AddRange(organiser.CareOf.Select(line => ((string?)line, theme.Small, 0.0)));
        var contact = EventTexts.ContactLines(organiser).Select((line, i) => ((string?)$"{line.Label}: {line.Value}", theme.Small, i == 0 ? 3.0 : 0.0)).ToList();
        List<(string?, TextStyle, double)> right = contact.Count == 0
            ? []
            : [("Kontakt", theme.Label, 0), .. contact, (organiser.ContactNote, theme.Note, 6)];

        var contactRow = new[] { box.Cell(flow, 0, [.. left]), box.Cell(flow, 1, [.. right]) };

        var funders = ev.Funders.Where(f => !string.IsNullOrWhiteSpace(f))
            .Select(f => flow.Layout(f, theme.Small, flow.Width))
            .ToList();
        var fundersHeight = funders.Count == 0 ? 0 : Gap + theme.Label.LineHeight + funders.Sum(f => f.Sum(l => l.Height));

        var height = box.RowHeight(contactRow) + fundersHeight;
        flow.Space(Gap);
        if (height <= flow.Remaining)
        {
            flow.Y = flow.Bottom - height;
        }
        else
        {
            flow.EnsureSpace(height);
        }

        box.Row(flow, contactRow);
        if (funders.Count > 0)
        {
            flow.Space(Gap);
            flow.Paragraph("Gefördert durch", theme.Label);
            flow.Tags.Begin(PdfBlockLevelElementTag.List);
            foreach (var funder in funders)
            {
                flow.Tags.Begin(PdfBlockLevelElementTag.ListItem);
                flow.Tags.Begin(PdfBlockLevelElementTag.ListBody);
                foreach (var line in funder)
                {
                    flow.EnsureSpace(line.Height);
                    PageFlow.DrawLine(flow.Gfx, line, flow.Left, flow.Y);
                    flow.Y += line.Height;
                }

                flow.Tags.End();
                flow.Tags.End();
            }

            flow.Tags.End();
        }
    }

}
