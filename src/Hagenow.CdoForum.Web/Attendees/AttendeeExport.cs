using System.Globalization;
using System.Text;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Hagenow.CdoForum.Web.Attendees;

public enum ExportFormat
{
    Csv,
    Xlsx,
    Pdf,
}

/// <summary>One line of the CSV and XLSX exports.</summary>
public sealed record ExportRow(
    string FirstName,
    string LastName,
    string Email,
    string Organisation,
    string? JobTitle,
    RegistrationStatus Status,
    DateTime RegisteredAtUtc,
    string? Question,
    string? AccessibilityNeeds,
    DateTime? AttendedAtUtc);

/// <summary>
/// The attendee list as CSV, XLSX and PDF. CSV and XLSX write each row as it is read from the database, so a list of
/// 5,000 is never held in memory; the PDF (confirmed people only) is laid out by PDFsharp, which needs the whole document.
/// </summary>
public sealed class AttendeeExport(CdoForumDbContext db, TimeProvider clock, AttendeeListPdf pdf)
{
    public static readonly string[] Columns =
    [
        "Vorname", "Nachname", "E-Mail", "Organisation", "Funktion", "Status", "Angemeldet am", "Frage für die Diskussion",
        "Hinweise zur Barrierefreiheit", "Teilgenommen",
    ];

    private static readonly double[] ColumnWidths = [16, 20, 30, 30, 24, 12, 17, 40, 34, 13];

    public static ExportFormat? ParseFormat(string? extension) => extension switch
    {
        "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        "pdf" => ExportFormat.Pdf,
        _ => null,
    };

    public static string FileName(Event ev, ExportFormat format) =>
        $"CDO-Forum-{ev.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-Teilnehmende.{format.ToString().ToLowerInvariant()}";

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/pdf",
    };

    /// <summary>Who exported which event when; saved before the first byte goes out.</summary>
    public async Task RecordAsync(Event ev, ExportFormat format, string staffActor, CancellationToken cancellationToken)
    {
        await AuditLog.WriteAsync(db, clock, staffActor, AuditAction.Export, cancellationToken, ev.Id, format.ToString().ToUpperInvariant());
    }

    public async Task WriteCsvAsync(int eventId, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Line(Columns));
        await foreach (var row in RowsAsync(eventId, cancellationToken))
        {
            await writer.WriteAsync(Csv.Line(
            [
                row.FirstName, row.LastName, row.Email, row.Organisation, row.JobTitle, RegistrationTexts.Status(row.Status),
                GermanDateTime(row.RegisteredAtUtc), row.Question, row.AccessibilityNeeds, row.AttendedAtUtc is null ? "nein" : "ja",
            ]));
        }

        await writer.FlushAsync(cancellationToken);
    }

    public async Task WriteXlsxAsync(Event ev, Stream output, CancellationToken cancellationToken)
    {
        var options = new SpreadCheetahOptions { BufferSize = 64 * 1024, WriteCellReferenceAttributes = true };
        options.DocumentProperties = new SpreadCheetah.Metadata.DocumentProperties { Title = $"Teilnehmende – {ev.Title}", Author = "CDO-Forum" };
        await using var buffer = new SyncWriteBufferStream(output);
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(buffer, options, cancellationToken))
        {
            await WriteSheetAsync(spreadsheet, ev.Id, cancellationToken);
        }

        await buffer.FlushAsync(cancellationToken);
    }

    private async Task WriteSheetAsync(Spreadsheet spreadsheet, int eventId, CancellationToken cancellationToken)
    {
        var sheet = new WorksheetOptions { FrozenRows = 1, AutoFilter = new AutoFilterOptions("A1:J1") };
        for (var i = 0; i < ColumnWidths.Length; i++)
        {
            sheet.Column(i + 1).Width = ColumnWidths[i];
        }

        await spreadsheet.StartWorksheetAsync("Teilnehmende", sheet, cancellationToken);
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("dd.mm.yyyy hh:mm") });
        var wrap = spreadsheet.AddStyle(new Style { Alignment = { WrapText = true, Vertical = VerticalAlignment.Top } });
        await spreadsheet.AddHeaderRowAsync(Columns, header, cancellationToken);
        var cells = new Cell[Columns.Length];
        await foreach (var row in RowsAsync(eventId, cancellationToken))
        {
            // Text cells are typed strings: "=HYPERLINK(…)" stays text, no spreadsheet runs it.
            cells[0] = new Cell(row.FirstName);
            cells[1] = new Cell(row.LastName);
            cells[2] = new Cell(row.Email);
            cells[3] = new Cell(row.Organisation);
            cells[4] = new Cell(row.JobTitle);
            cells[5] = new Cell(RegistrationTexts.Status(row.Status));
            cells[6] = new Cell(BerlinTime.ToLocal(new DateTimeOffset(row.RegisteredAtUtc, TimeSpan.Zero)), date);
            cells[7] = new Cell(row.Question, wrap);
            cells[8] = new Cell(row.AccessibilityNeeds, wrap);
            cells[9] = new Cell(row.AttendedAtUtc is null ? "nein" : "ja");
            await spreadsheet.AddRowAsync(cells, cancellationToken);
        }

        await spreadsheet.FinishAsync(cancellationToken);
    }

    /// <summary>The list for the door: confirmed people, sorted by last and first name.</summary>
    public async Task<byte[]> RenderPdfAsync(Event ev, CancellationToken cancellationToken)
    {
        var entries = await db.Registrations.AsNoTracking()
            .Where(r => r.EventId == ev.Id && r.Status == RegistrationStatus.Confirmed)
            .OrderBy(r => EF.Functions.Collate(r.LastName, GermanCollation.Name))
            .ThenBy(r => EF.Functions.Collate(r.FirstName, GermanCollation.Name))
            .Select(r => new AttendeeListEntry(r.LastName, r.FirstName, r.Organisation, r.JobTitle))
            .ToListAsync(cancellationToken);
        using var buffer = new MemoryStream();
        pdf.Render(ev, entries, buffer);
        return buffer.ToArray();
    }

    private async IAsyncEnumerable<ExportRow> RowsAsync(int eventId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = db.Registrations.AsNoTracking()
            .Where(r => r.EventId == eventId)
            .OrderBy(r => EF.Functions.Collate(r.LastName, GermanCollation.Name))
            .ThenBy(r => EF.Functions.Collate(r.FirstName, GermanCollation.Name))
            .ThenBy(r => r.Id)
            .Select(r => new ExportRow(r.FirstName, r.LastName, r.Email, r.Organisation, r.JobTitle, r.Status, r.RegisteredAtUtc,
                r.Question, r.AccessibilityNeeds, r.AttendedAtUtc))
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var row in rows)
        {
            yield return row;
        }
    }

    private static string GermanDateTime(DateTime utc) =>
        BerlinTime.ToLocal(new DateTimeOffset(utc, TimeSpan.Zero)).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
}
