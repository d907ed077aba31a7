using System.Net;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Hagenow.CdoForum.Tests;

/// <summary>One site for the class (its clock: 26 November 2026); each test imports its own event.</summary>
public sealed class CertificateSite : SiteFactory
{
    // Background jobs off: the test reads the queued mails before anything sends them.
    public CertificateSite() => this.WithoutBackgroundJobs().With("RateLimits:StaffLoginsPerMinutePerClient", "1000");

    /// <summary>A client logged in (password and second factor) as a staff account of its own.</summary>
    public Task<HttpClient> StaffClientAsync() => this.CreateStaffClientAsync($"staff-{Guid.NewGuid():N}@kts.example.de");
}

public sealed class CertificateTests(CertificateSite site) : IClassFixture<CertificateSite>
{
    private const string Invalid = "Diese Bescheinigung ist nicht gültig oder nicht mehr gespeichert.";

    [Fact]
    public async Task Attended_participant_downloads_a_tagged_certificate_that_the_verification_page_confirms()
    {
        var ev = await PastEventAsync("bescheinigung-download");
        var (registration, token) = await PersonAsync(ev, "Jördis", "Ährenfeld", attended: true);
        var client = site.CreatePlainClient();

        var page = await client.GetStringAsync($"/anmeldung/{token}", TestContext.Current.CancellationToken);
        Assert.Contains($"href=\"/anmeldung/{token}/bescheinigung.pdf\"", page, StringComparison.Ordinal);

        using var response = await client.GetAsync($"/anmeldung/{token}/bescheinigung.pdf", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("CDO-Forum-2026-11-20-Teilnahmebescheinigung.pdf", response.Content.Headers.ContentDisposition?.FileName);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var pdf = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        var code = await CodeOfAsync(registration.Id);
        Assert.NotNull(code);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", code);
        var text = string.Join(" ", PdfText.Pages(pdf));
        string[] facts =
        [
            "Teilnahmebescheinigung", "Jördis Ährenfeld", "Sachbearbeitung Digitalisierung, Stadt Hagenow", ev.Title,
            "Datum: Freitag, 20. November 2026", "Uhrzeit: 13:00–14:00 Uhr (Dauer: 1 Stunde)", "Programm in Kürze", "13:00 Uhr Begrüßung",
            "14:00 Uhr Abschluss", "Koordinierungs- und Transferstelle Modellprojekte Smart Cities (KTS)", "Ausgestellt am 26. November 2026",
            $"http://localhost:5080/bescheinigung/{code}",
        ];
        Assert.All(facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
        Assert.Single(PdfText.Pages(pdf));

        var tree = await PdfStructure.StructTextAsync(pdf);
        var elements = PdfStructure.Elements(tree);
        Assert.Equal("Document", elements[0]);
        Assert.Single(elements, "H1");
        Assert.Equal(3, elements.Count(e => e == "H2"));
        Assert.Single(elements, "L");
        Assert.Equal(5, elements.Count(e => e == "LI"));
        var tagged = PdfStructure.TaggedText(tree);
        Assert.All(facts, fact => Assert.Contains(fact, tagged, StringComparison.Ordinal));
        Assert.Empty(PdfStructure.LettersOutsideMarkedContent(pdf));
        Assert.Contains("<pdfuaid:part>1</pdfuaid:part>", await PdfStructure.MetadataAsync(pdf), StringComparison.Ordinal);

        using var check = await client.GetAsync($"/bescheinigung/{code}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.True(check.Headers.CacheControl?.NoStore);
        Assert.Contains("noindex", string.Join(",", check.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
        var checkText = Text(await check.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Diese Teilnahmebescheinigung ist gültig.", checkText, StringComparison.Ordinal);
        Assert.Contains("Jördis Ährenfeld", checkText, StringComparison.Ordinal);
        Assert.Contains($"CDO-Forum: {ev.Title}", checkText, StringComparison.Ordinal);
        Assert.Contains("Freitag, 20. November 2026", checkText, StringComparison.Ordinal);
        Assert.DoesNotContain("Stadt Hagenow", checkText, StringComparison.Ordinal);

        // A second download keeps the code.
        using var again = await client.GetAsync($"/anmeldung/{token}/bescheinigung.pdf", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(code, await CodeOfAsync(registration.Id));
    }

    [Theory]
    [InlineData("nicht-teilgenommen", RegistrationStatus.Confirmed, false, true)]
    [InlineData("storniert", RegistrationStatus.Cancelled, true, true)]
    [InlineData("warteliste", RegistrationStatus.Waiting, true, true)]
    [InlineData("noch-nicht-zu-ende", RegistrationStatus.Confirmed, true, false)]
    public async Task No_certificate_without_attendance_confirmation_or_before_the_end(string name, RegistrationStatus status, bool attended, bool past)
    {
        var ev = past ? await PastEventAsync($"ohne-bescheinigung-{name}") : await site.ImportAsync(TestEvents.Future($"ohne-bescheinigung-{name}"));
        var (registration, token) = await PersonAsync(ev, "Kein", "Nachweis", attended, status);
        var client = site.CreatePlainClient();

        var page = await client.GetStringAsync($"/anmeldung/{token}", TestContext.Current.CancellationToken);
        using var response = await client.GetAsync($"/anmeldung/{token}/bescheinigung.pdf", TestContext.Current.CancellationToken);

        Assert.DoesNotContain("bescheinigung.pdf", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await CodeOfAsync(registration.Id));
        if (name == "nicht-teilgenommen")
        {
            Assert.Contains("sobald das Team der KTS Ihre Teilnahme vermerkt hat", Text(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Verification_says_not_valid_for_wrong_codes_a_withdrawn_attendance_and_erased_people_and_reveals_nothing()
    {
        var ev = await PastEventAsync("bescheinigung-pruefen");
        var (withdrawn, withdrawnToken) = await PersonAsync(ev, "Zurück", "Genommen", attended: true);
        var (erased, erasedToken) = await PersonAsync(ev, "Gelöschte", "Person", attended: true);
        var client = site.CreatePlainClient();
        foreach (var token in new[] { withdrawnToken, erasedToken })
        {
            using var issued = await client.GetAsync($"/anmeldung/{token}/bescheinigung.pdf", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        }

        var withdrawnCode = (await CodeOfAsync(withdrawn.Id))!;
        var erasedCode = (await CodeOfAsync(erased.Id))!;
        await site.WithDbAsync(db => db.Registrations.Where(r => r.Id == withdrawn.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.AttendedAtUtc, (DateTime?)null), TestContext.Current.CancellationToken));
        await site.WithDbAsync(db => db.Registrations.Where(r => r.Id == erased.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken));

        var oneOff = erasedCode[..^1] + (erasedCode[^1] == 'A' ? 'B' : 'A');
        string[] codes = [withdrawnCode, erasedCode, oneOff, "AAAAAAAAAAAAAAAAAAAAAA", "kurz", erasedCode + "A", "<script>alert(1)</script>"];
        foreach (var code in codes)
        {
            using var response = await client.GetAsync($"/bescheinigung/{Uri.EscapeDataString(code)}", TestContext.Current.CancellationToken);
            var text = Text(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(Invalid, text, StringComparison.Ordinal);
            Assert.DoesNotContain("gültig.", text.Replace(Invalid, "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("Genommen", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Person", text, StringComparison.Ordinal);
            Assert.DoesNotContain(ev.Title, text, StringComparison.Ordinal);
        }

        using var gone = await client.GetAsync($"/anmeldung/{erasedToken}/bescheinigung.pdf", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var notAgain = await client.GetAsync($"/anmeldung/{withdrawnToken}/bescheinigung.pdf", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, notAgain.StatusCode);
    }

    [Fact]
    public async Task Staff_send_every_attended_person_their_certificate_in_one_write_with_one_audit_entry()
    {
        var ev = await PastEventAsync("bescheinigungen-senden");
        var attended = new List<Registration>();
        for (var i = 1; i <= 3; i++)
        {
            attended.Add((await PersonAsync(ev, $"Anwesend{i}", "Dabei", attended: true)).Registration);
        }

        var absent = (await PersonAsync(ev, "Nicht", "Erschienen", attended: false)).Registration;
        var cancelled = (await PersonAsync(ev, "Storniert", "Dabei", attended: true, RegistrationStatus.Cancelled)).Registration;
        var staff = await site.StaffClientAsync();
        var url = $"/intern/veranstaltungen/{ev.Slug}/bescheinigungen";

        var list = await staff.GetStringAsync($"/intern/veranstaltungen/{ev.Slug}", TestContext.Current.CancellationToken);
        Assert.Contains($"href=\"{url}\"", list, StringComparison.Ordinal);
        var confirm = Text(await staff.GetStringAsync(url, TestContext.Current.CancellationToken));
        Assert.Contains("Bitte bestätigen: 3 Personen mit vermerkter Teilnahme erhalten je eine E-Mail", confirm, StringComparison.Ordinal);
        Assert.Empty(await CertificateMailsAsync(ev.Id));

        using var sent = await staff.SubmitFormAsync(url);

        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        Assert.Equal($"{url}?gesendet=3", sent.Headers.Location?.OriginalString);
        Assert.Contains("3 Bescheinigungen wurden in den Versand gegeben.", Text(await staff.GetStringAsync($"{url}?gesendet=3", TestContext.Current.CancellationToken)), StringComparison.Ordinal);
        var mails = await CertificateMailsAsync(ev.Id);
        Assert.Equal(attended.Select(r => r.Id).Order(), mails.Select(m => m.RegistrationId!.Value).Order());
        Assert.DoesNotContain(mails, m => m.RegistrationId == absent.Id || m.RegistrationId == cancelled.Id);
        foreach (var row in mails)
        {
            var person = attended.Single(r => r.Id == row.RegistrationId);
            Assert.Equal(person.Email, row.Recipient);
            Assert.Equal(OutboxStatus.Pending, row.Status);
            var message = await site.MessageOfAsync(row);
            Assert.Equal("Ihre Teilnahmebescheinigung: CDO-Forum am 20. November 2026", message.Subject);
            var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
            Assert.Equal("application/pdf", attachment.ContentType.MimeType);
            Assert.Equal("CDO-Forum-2026-11-20-Teilnahmebescheinigung.pdf", attachment.FileName);
            using var pdf = new MemoryStream();
            await attachment.Content!.DecodeToAsync(pdf, TestContext.Current.CancellationToken);
            var text = string.Join(" ", PdfText.Pages(pdf.ToArray()));
            Assert.Contains(person.FullName, text, StringComparison.Ordinal);
            Assert.Contains($"/bescheinigung/{await CodeOfAsync(person.Id)}", text, StringComparison.Ordinal);
            Assert.Contains("Im Anhang finden Sie Ihre Teilnahmebescheinigung", message.TextBody ?? "", StringComparison.Ordinal);
        }

        var audit = await site.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EventId == ev.Id && a.Action == AuditAction.CertificatesSent.Code).ToListAsync(TestContext.Current.CancellationToken));
        var entry = Assert.Single(audit);
        Assert.Equal("3 Bescheinigungen", entry.Details);
        Assert.Matches("^staff-[0-9a-f]{32}@kts.example.de$", entry.Actor); // the staff account that sent them
        Assert.Null(entry.RegistrationId);
        Assert.Null(await CodeOfAsync(absent.Id));
        Assert.Null(await CodeOfAsync(cancelled.Id));
    }

    [Fact]
    public async Task Staff_cannot_send_certificates_before_the_end_or_when_nobody_attended()
    {
        var future = await site.ImportAsync(TestEvents.Future("bescheinigungen-zu-frueh"));
        await PersonAsync(future, "Zu", "Früh", attended: true);
        var nobody = await PastEventAsync("bescheinigungen-niemand");
        await PersonAsync(nobody, "Nie", "Da", attended: false);
        var staff = await site.StaffClientAsync();

        var early = $"/intern/veranstaltungen/{future.Slug}/bescheinigungen";
        Assert.Contains("Bescheinigungen gibt es erst, wenn die Veranstaltung zu Ende ist.", Text(await staff.GetStringAsync(early, TestContext.Current.CancellationToken)), StringComparison.Ordinal);
        var empty = $"/intern/veranstaltungen/{nobody.Slug}/bescheinigungen";
        Assert.Contains("bei niemandem eine Teilnahme vermerkt", Text(await staff.GetStringAsync(empty, TestContext.Current.CancellationToken)), StringComparison.Ordinal);

        foreach (var url in new[] { early, empty })
        {
            using var response = await staff.SubmitFormAsync(url, tokenFrom: $"/intern/veranstaltungen/{nobody.Slug}/anmeldungen/{await AnyRegistrationAsync(nobody.Id)}/teilnahme");
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }

        Assert.Empty(await CertificateMailsAsync(future.Id));
        Assert.Empty(await CertificateMailsAsync(nobody.Id));
        using var anonymous = await site.CreatePlainClient().GetAsync(empty, TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }

    /// <summary>A copy of the seed on 20 November 2026: over by the site's clock, still within the retention period.</summary>
    private Task<Event> PastEventAsync(string slug) => site.ImportAsync(TestEvents.Future(slug, date: "2026-11-20"));

    private async Task<(Registration Registration, string Token)> PersonAsync(Event ev, string firstName, string lastName, bool attended,
        RegistrationStatus status = RegistrationStatus.Confirmed)
    {
        var registration = await site.AddRegistrationAsync(ev, $"{firstName}.{lastName}.{Guid.NewGuid():N}@example.org".ToLowerInvariant(), firstName, lastName, status);
        var attendedAt = attended ? site.Clock.GetUtcNow().UtcDateTime : (DateTime?)null;
        await site.WithDbAsync(db => db.Registrations.Where(r => r.Id == registration.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.AttendedAtUtc, attendedAt).SetProperty(r => r.JobTitle, "Sachbearbeitung Digitalisierung"), TestContext.Current.CancellationToken));
        return (registration, await site.TokenForAsync(registration));
    }

    /// <summary>The page's text: tags dropped, entities decoded, white space folded.</summary>
    private static string Text(string html) => Html.Fold(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")));

    private Task<string?> CodeOfAsync(int registrationId) =>
        site.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.CertificateCode).SingleOrDefaultAsync(TestContext.Current.CancellationToken));

    private Task<int> AnyRegistrationAsync(int eventId) =>
        site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == eventId).Select(r => r.Id).FirstAsync(TestContext.Current.CancellationToken));

    private Task<List<OutboxMessage>> CertificateMailsAsync(int eventId) =>
        site.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.Kind == MailKind.Certificate && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
            .ToListAsync(TestContext.Current.CancellationToken));
}
