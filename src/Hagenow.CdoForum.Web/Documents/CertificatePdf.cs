using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using PdfSharp.Drawing;
using PdfSharp.UniversalAccessibility;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>What a certificate of attendance states about its holder.</summary>
public sealed record CertificateHolder(string Name, string Organisation, string? JobTitle);

/// <summary>
/// The Teilnahmebescheinigung: one A4 page, tagged like the programme, with the holder, the event (date, time,
/// duration, the agenda in short), the organiser, the date of issue and the address where anyone can check it.
/// </summary>
public sealed class CertificatePdf(PdfFonts fonts)
{
    private static readonly PageGeometry Page = PageGeometry.A4Portrait;

    public static string FileName(Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        return ProgrammeDocuments.FileName(ev).Replace("-Programm.pdf", "-Teilnahmebescheinigung.pdf", StringComparison.Ordinal);
    }

    public byte[] Render(Event ev, CertificateHolder holder, Uri verification, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(verification);
        var theme = new PdfTheme(fonts.RequireSet());
        int pages;
        TextWidths? widths;
        using (var measuring = PageFlow.Measuring(Page))
        {
            Compose(measuring, theme, ev, holder, verification, issuedAt);
            pages = measuring.PageNumber;
            widths = measuring.Widths;
        }

        using var document = PdfTheme.NewDocument(
            ev,
            $"Teilnahmebescheinigung – {ev.Series}: {ev.Title}",
            $"Teilnahmebescheinigung, {EventTexts.When(ev)}",
            issuedAt.UtcDateTime);
        var footer = $"Teilnahmebescheinigung {ev.Series}, {GermanDates.ShortDate(ev.Date)} · Echtheit prüfen: {verification.AbsoluteUri}";
        using var flow = new PageFlow(document, Page)
        {
            Widths = widths,
            Footer = (gfx, number) => theme.DrawFooter(gfx, Page, footer, number, pages, showPageNumber: pages > 1),
        };
        Compose(flow, theme, ev, holder, verification, issuedAt);
        flow.Finish();
        using var output = new MemoryStream();
        PdfTheme.Save(document, output);
        return output.ToArray();
    }

    /// <summary>"1 Stunde", "1 Stunde 30 Minuten", "45 Minuten".</summary>
    public static string Duration(TimeOnly start, TimeOnly end)
    {
        var minutes = (int)(end - start).TotalMinutes;
        var hours = minutes / 60;
        var rest = minutes % 60;
        var hourText = hours switch { 0 => "", 1 => "1 Stunde", _ => $"{hours} Stunden" };
        var minuteText = rest switch { 0 => "", 1 => "1 Minute", _ => $"{rest} Minuten" };
        return string.Join(" ", new[] { hourText, minuteText }.Where(t => t.Length > 0));
    }

    private static void Compose(PageFlow flow, PdfTheme theme, Event ev, CertificateHolder holder, Uri verification, DateTimeOffset issuedAt)
    {
        flow.NewPage();
        flow.Tags.Artifact(() => flow.Gfx.DrawRectangle(new XSolidBrush(PdfTheme.Accent), flow.Left, flow.Y, 36, 4));
        flow.Space(9);
        flow.Paragraph(ev.Series, theme.Series);
        flow.Space(4);
        flow.Paragraph("Teilnahmebescheinigung", theme.Title, tag: PdfBlockLevelElementTag.Heading1);
        flow.Space(18);
        flow.Paragraph("Hiermit wird bestätigt, dass", theme.Body);
        flow.Space(8);
        flow.Paragraph(holder.Name, theme.Title);
        var organisation = string.Join(", ", new[] { holder.JobTitle, holder.Organisation }.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (organisation.Length > 0)
        {
            flow.Paragraph(organisation, theme.Place);
        }

        flow.Space(10);
        flow.Paragraph("an der folgenden Veranstaltung teilgenommen hat:", theme.Body);
        flow.Space(10);
        flow.Paragraph(ev.Title, theme.Heading, tag: PdfBlockLevelElementTag.Heading2);
        flow.Space(3);
        flow.Paragraph($"Datum: {GermanDates.LongDate(ev.Date)}", theme.Body);
        flow.Paragraph($"Uhrzeit: {GermanDates.TimeRange(ev.StartTime, ev.EndTime)} (Dauer: {Duration(ev.StartTime, ev.EndTime)})", theme.Body);
        flow.Paragraph($"Ort: {EventTexts.Place(ev)}", theme.Body);
        flow.Paragraph($"Veranstaltungsreihe: {ev.Series}", theme.Body);

        if (ev.Agenda.Count > 0)
        {
            flow.Space(14);
            flow.Paragraph("Programm in Kürze", theme.Heading, tag: PdfBlockLevelElementTag.Heading2);
            flow.Space(3);
            flow.Tags.Begin(PdfBlockLevelElementTag.List);
            foreach (var item in ev.Agenda.OrderBy(a => a.Time))
            {
                flow.Tags.Begin(PdfBlockLevelElementTag.ListItem);
                flow.Paragraph($"{GermanDates.Time(item.Time)} Uhr", theme.Strong, spaceBefore: 3, width: 56, tag: PdfBlockLevelElementTag.Label);
                flow.Y -= theme.Strong.LineHeight;
                flow.Paragraph(item.Title, theme.Body, x: flow.Left + 60, tag: PdfBlockLevelElementTag.ListBody);
                flow.Tags.End();
            }

            flow.Tags.End();
        }

        flow.Space(14);
        flow.Paragraph("Veranstalter", theme.Heading, tag: PdfBlockLevelElementTag.Heading2);
        flow.Space(3);
        var organiser = ev.Organiser;
        flow.Paragraph(organiser.ShortName is { Length: > 0 } shortName ? $"{organiser.Name} ({shortName})" : organiser.Name, theme.Strong);
        foreach (var line in organiser.CareOf.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            flow.Paragraph(line, theme.Body);
        }

        flow.Space(18);
        flow.Paragraph($"Ausgestellt am {GermanDates.ShortDate(DateOnly.FromDateTime(BerlinTime.ToLocal(issuedAt)))}", theme.Body);
        flow.Space(4);
        flow.Paragraph("Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig. "
            + "Ihre Echtheit können Sie unter dieser Adresse prüfen, solange die Daten gespeichert sind:", theme.Small);
        flow.Paragraph(verification.AbsoluteUri, theme.SmallStrong, spaceBefore: 2);
    }
}
