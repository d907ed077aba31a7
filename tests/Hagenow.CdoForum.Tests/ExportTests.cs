using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Site;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.VisualBasic.FileIO;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// One site for the class: each test has its own event (on the same date, so the same file names), its own staff account,
/// and looks only at the audit entries written since it started (the tests of a class run one after the other).
/// </summary>
public sealed class ExportTests(ExportTests.Site site) : IClassFixture<ExportTests.Site>, IAsyncLifetime
{
    private const string Question = "Zwei Fragen; erstens \"Budget\"\nzweitens Personal";

    private static readonly string[] Headers =
    [
        "Vorname", "Nachname", "E-Mail", "Organisation", "Funktion", "Status", "Angemeldet am", "Frage für die Diskussion",
        "Hinweise zur Barrierefreiheit", "Teilgenommen",
    ];

    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private readonly Site _site = site;
    private readonly string _staff = $"team-{Guid.NewGuid():N}"[..17] + "@kts.example.de";
    private long _auditSince;

    /// <summary>Staff log in from the same test client again and again; the limit itself is tested in HostsAndProxiesTests.</summary>
    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    private string Slug { get; } = $"cdo-forum-2027-05-12-{Guid.NewGuid():N}"[..30];

    private string ExportUrl => "/intern/veranstaltungen/" + Slug + "/export";

    public async ValueTask InitializeAsync() =>
        _auditSince = await _site.WithDbAsync(db => db.AuditEntries.Select(a => (long?)a.Id).MaxAsync(TestContext.Current.CancellationToken)) ?? 0;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Three people: umlauts, formula-like input in every text column, a waiting one and a present one.</summary>
    private async Task<(Event Event, DateTime RegisteredAtBerlin)> ArrangeAsync()
    {
        var ev = await _site.ImportAsync(TestEvents.Future(Slug, capacity: 2));
        var registeredAt = new DateTimeOffset(2027, 3, 2, 8, 30, 0, TimeSpan.Zero);
        await _site.AddRegistrationAsync(ev.Id, r =>
        {
            (r.FirstName, r.LastName, r.Email, r.Organisation, r.JobTitle) = ("Jürgen", "Özdemir", "j.oezdemir@straße.example", "Stadt Lübeck", "Leiter Bürgerbüro");
            (r.Question, r.AccessibilityNeeds, r.RegisteredAtUtc, r.AttendedAtUtc) = (Question, "\tRollstuhlplatz", registeredAt.UtcDateTime, registeredAt.UtcDateTime);
        });
        await _site.AddRegistrationAsync(ev.Id, r =>
        {
            (r.FirstName, r.LastName, r.Email, r.Organisation, r.JobTitle) = ("=HYPERLINK(\"http://evil.example\";\"Klick\")", "+49 3883 123", "@SUM(A1:A2)", "-1", "\rCR");
            r.RegisteredAtUtc = registeredAt.AddHours(1).UtcDateTime;
        });
        await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName, r.Status) = ("Anna", "Ärmel", RegistrationStatus.Waiting));
        return (ev, BerlinTime.ToLocal(registeredAt));
    }

    [Fact]
    public async Task CSV_is_UTF8_with_BOM_semicolons_German_headers_and_neutralised_formulas()
    {
        var (_, registeredAtBerlin) = await ArrangeAsync();
        var client = await _site.CreateStaffClientAsync(_staff);

        using var response = await client.GetAsync(ExportUrl + ".csv", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("CDO-Forum-2027-05-12-Teilnehmende.csv", response.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith(string.Join(";", Headers) + "\r\n", text, StringComparison.Ordinal);

        var rows = ParseCsv(text);
        Assert.Equal(4, rows.Count);
        Assert.Equal(Headers, rows[0]);
        // Sorted by last name in German order: "+49…" (a sign), Ärmel, Özdemir.
        Assert.Equal(
            ["'=HYPERLINK(\"http://evil.example\";\"Klick\")", "'+49 3883 123", "'@SUM(A1:A2)", "'-1", "'\rCR", "bestätigt",
                registeredAtBerlin.AddHours(1).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture), "", "", "nein"],
            rows[1]);
        Assert.Equal(["Anna", "Ärmel"], rows[2][..2]);
        Assert.Equal("Warteliste", rows[2][5]);
        Assert.Equal(
            ["Jürgen", "Özdemir", "j.oezdemir@straße.example", "Stadt Lübeck", "Leiter Bürgerbüro", "bestätigt",
                registeredAtBerlin.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture), Question, "'\tRollstuhlplatz", "ja"],
            rows[3]);
    }

    [Fact]
    public async Task XLSX_has_a_header_row_widths_real_dates_and_formula_like_text_stays_text()
    {
        var (_, registeredAtBerlin) = await ArrangeAsync();
        var client = await _site.CreateStaffClientAsync(_staff);

        using var response = await client.GetAsync(ExportUrl + ".xlsx", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("CDO-Forum-2027-05-12-Teilnehmende.xlsx", response.Content.Headers.ContentDisposition!.FileName);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var sheet = Load(zip, "xl/worksheets/sheet1.xml");
        var styles = Load(zip, "xl/styles.xml");
        var sharedStrings = zip.GetEntry("xl/sharedStrings.xml") is { } entry
            ? [.. XDocument.Load(entry.Open()).Descendants(Sheet + "si").Select(si => string.Concat(si.Descendants(Sheet + "t").Select(t => t.Value)))]
            : new List<string>();

        Assert.Empty(sheet.Descendants(Sheet + "f"));
        Assert.Equal(10, sheet.Descendants(Sheet + "col").Count(c => c.Attribute("width") is not null));
        var rows = sheet.Descendants(Sheet + "row").Select(r => r.Elements(Sheet + "c").ToDictionary(
            c => new string([.. ((string)c.Attribute("r")!).TakeWhile(char.IsLetter)]),
            c => c)).ToList();
        string Text(XElement cell) => (string?)cell.Attribute("t") switch
        {
            "s" => sharedStrings[(int)cell.Element(Sheet + "v")!],
            "inlineStr" => string.Concat(cell.Descendants(Sheet + "t").Select(t => t.Value)),
            _ => (string)cell.Element(Sheet + "v")!,
        };

        Assert.Equal(4, rows.Count);
        Assert.Equal(Headers, rows[0].Values.Select(Text));
        Assert.Equal("=HYPERLINK(\"http://evil.example\";\"Klick\")", Text(rows[1]["A"]));
        Assert.Equal("+49 3883 123", Text(rows[1]["B"]));
        Assert.Equal("@SUM(A1:A2)", Text(rows[1]["C"]));
        Assert.Equal("-1", Text(rows[1]["D"]));
        Assert.NotNull(rows[1]["D"].Attribute("t")); // text, not the number -1
        Assert.Equal("Özdemir", Text(rows[3]["B"]));
        Assert.Equal("j.oezdemir@straße.example", Text(rows[3]["C"]));
        Assert.Equal(Question, Text(rows[3]["H"]));
        Assert.Equal("ja", Text(rows[3]["J"]));
        Assert.Equal("nein", Text(rows[1]["J"]));
        Assert.Equal("Warteliste", Text(rows[2]["F"]));

        var date = rows[3]["G"];
        Assert.Null(date.Attribute("t")); // a number, i.e. a real date
        Assert.Equal(registeredAtBerlin, DateTime.FromOADate(double.Parse((string)date.Element(Sheet + "v")!, CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(1));
        var format = styles.Descendants(Sheet + "cellXfs").Single().Elements(Sheet + "xf").ElementAt((int)date.Attribute("s")!);
        var code = styles.Descendants(Sheet + "numFmt").Single(n => (string)n.Attribute("numFmtId")! == (string)format.Attribute("numFmtId")!);
        Assert.Equal("dd.mm.yyyy hh:mm", (string)code.Attribute("formatCode")!);
    }

    [Fact]
    public async Task PDF_lists_the_confirmed_people_for_the_door_sorted_by_name()
    {
        await ArrangeAsync();
        var client = await _site.CreateStaffClientAsync(_staff);

        using var response = await client.GetAsync(ExportUrl + ".pdf", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("CDO-Forum-2027-05-12-Teilnehmende.pdf", response.Content.Headers.ContentDisposition!.FileName);
        var text = string.Join(" ", PdfText.Pages(bytes));
        Assert.Contains("Özdemir", text, StringComparison.Ordinal);
        Assert.Contains("Stadt Lübeck", text, StringComparison.Ordinal);
        Assert.Contains("+49 3883 123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ärmel", text, StringComparison.Ordinal); // waiting list
        Assert.True(text.IndexOf("+49 3883 123", StringComparison.Ordinal) < text.IndexOf("Özdemir", StringComparison.Ordinal));
        Assert.True(await _site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Id > _auditSince && a.Action == AuditAction.Export.Code && a.Details == "PDF", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Each_export_is_recorded_with_who_which_event_and_format()
    {
        var (ev, _) = await ArrangeAsync();
        var client = await _site.CreateStaffClientAsync(_staff);

        foreach (var format in new[] { "csv", "xlsx" })
        {
            using var response = await client.GetAsync($"{ExportUrl}.{format}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var audit = await _site.WithDbAsync(db => db.AuditEntries.Where(a => a.Id > _auditSince && a.Action == AuditAction.Export.Code).OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["CSV", "XLSX"], audit.Select(a => a.Details));
        Assert.All(audit, a => Assert.Equal((_staff, (int?)ev.Id, _site.Clock.GetUtcNow().UtcDateTime), (a.Actor, a.EventId, a.AtUtc)));
    }

    [Fact]
    public async Task Five_thousand_rows_export_completely()
    {
        var ev = await _site.ImportAsync(TestEvents.Future(Slug));
        await _site.AddManyAsync(ev.Id, 5000);
        var client = await _site.CreateStaffClientAsync(_staff);

        using var csv = await client.GetAsync(ExportUrl + ".csv", TestContext.Current.CancellationToken);
        using var xlsx = await client.GetAsync(ExportUrl + ".xlsx", TestContext.Current.CancellationToken);

        var rows = ParseCsv(Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).TrimStart('\uFEFF'));
        Assert.Equal(5001, rows.Count);
        Assert.Equal("Nachname04999", rows[^1][1]);
        using var zip = new ZipArchive(await xlsx.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), ZipArchiveMode.Read);
        Assert.Equal(5001, Load(zip, "xl/worksheets/sheet1.xml").Descendants(Sheet + "row").Count());
    }

    [Theory]
    [InlineData("doc")]
    [InlineData("CSV2")]
    public async Task An_unknown_format_is_a_404(string extension)
    {
        await ArrangeAsync();
        var client = await _site.CreateStaffClientAsync(_staff);

        using var response = await client.GetAsync($"{ExportUrl}.{extension}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static XDocument Load(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        return XDocument.Load(stream);
    }

    private static List<string[]> ParseCsv(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(";");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    }
}
