using Hagenow.CdoForum.Web.Audit;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// One site for the class: each test has its own event, its own staff account, and looks only at the mails and audit
/// entries written since it started (the tests of a class run one after the other).
/// </summary>
[Trait("Engines", "Both")]
public sealed class AttendeeListTests(AttendeeListTests.Site site) : IClassFixture<AttendeeListTests.Site>, IAsyncLifetime
{
    private static readonly string[] SearchNames = ["Özdemir", "Weber, Maria", "Weberknecht"];
    private static readonly string[] SortNames = ["Zander", "Ärmel", "adler"];

    private readonly Site _site = site;
    private string Slug { get; } = $"cdo-forum-2027-05-12-{Guid.NewGuid():N}"[..30];
    private readonly string _staff = $"team-{Guid.NewGuid():N}"[..17] + "@kts.example.de";
    private long _auditSince;
    private long _mailSince;

    /// <summary>Staff log in from the same test client again and again; the limit itself is tested in HostsAndProxiesTests.</summary>
    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    public async ValueTask InitializeAsync()
    {
        _auditSince = await _site.WithDbAsync(db => db.AuditEntries.Select(a => (long?)a.Id).MaxAsync(TestContext.Current.CancellationToken)) ?? 0;
        _mailSince = await _site.WithDbAsync(db => db.OutboxMessages.Select(m => (long?)m.Id).MaxAsync(TestContext.Current.CancellationToken)) ?? 0;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string ListUrl => "/intern/veranstaltungen/" + Slug;

    private async Task<Event> EventAsync() => await _site.ImportAsync(TestEvents.Future(Slug, capacity: 2));

    private string PersonUrl(int id, string? action = null) => $"{ListUrl}/anmeldungen/{id}" + (action is null ? "" : "/" + action);

    [Fact]
    public async Task The_overview_and_the_list_show_the_counts()
    {
        var ev = await EventAsync();
        await _site.AddRegistrationAsync(ev.Id, r => r.AttendedAtUtc = _site.Clock.GetUtcNow().UtcDateTime);
        await _site.AddRegistrationAsync(ev.Id);
        await _site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Waiting);
        await _site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Cancelled);
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, overview) = await client.GetTextAsync("/intern");
        var (status, list) = await client.GetTextAsync(ListUrl);

        Assert.Contains($"Testveranstaltung {Slug}", overview, StringComparison.Ordinal);
        Assert.Matches(System.Text.RegularExpressions.Regex.Escape($"Testveranstaltung {Slug}") + ".*?</td> <td class=\"num\">2</td> <td class=\"num\">1</td> <td class=\"num\">1</td> <td class=\"num\">1</td>", overview);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<dt>Bestätigt</dt><dd>2</dd>", list, StringComparison.Ordinal);
        Assert.Contains("<dt>Warteliste</dt><dd>1</dd>", list, StringComparison.Ordinal);
        Assert.Contains("<dt>Storniert</dt><dd>1</dd>", list, StringComparison.Ordinal);
        Assert.Contains("<dt>Teilgenommen</dt><dd>1</dd>", list, StringComparison.Ordinal);
        Assert.Contains("4 Anmeldungen", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_event_is_a_404()
    {
        var client = await _site.CreateStaffClientAsync(_staff);

        using var response = await client.GetAsync("/intern/veranstaltungen/gibt-es-nicht", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Search_finds_people_by_name_email_and_organisation_and_filter_by_status()
    {
        var ev = await EventAsync();
        await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName, r.Email, r.Organisation) = ("Jürgen", "Özdemir", "j.oezdemir@ludwigslust.de", "Stadt Ludwigslust"));
        await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName, r.Email, r.Organisation) = ("Maria", "Weber", "weber@kreis-lup.de", "Landkreis 100% digital"));
        await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName, r.Email, r.Organisation, r.Status) = ("Paul", "Weberknecht", "paul@example.org", "Amt Hagenow-Land", RegistrationStatus.Waiting));
        var client = await _site.CreateStaffClientAsync(_staff);

        async Task<string> Names(string query)
        {
            var (_, text) = await client.GetTextAsync(ListUrl + query);
            return string.Join("|", SearchNames.Where(n => text.Contains(n, StringComparison.Ordinal)));
        }

        Assert.Equal("Özdemir|Weber, Maria|Weberknecht", await Names(""));
        Assert.Equal("Özdemir", await Names("?suche=J%C3%BCrgen+%C3%96zdemir"));
        Assert.Equal("Weber, Maria|Weberknecht", await Names("?suche=weber"));
        Assert.Equal("Weber, Maria", await Names("?suche=kreis-lup.de"));
        Assert.Equal("Weberknecht", await Names("?suche=Hagenow-Land"));
        Assert.Equal("Weber, Maria", await Names("?suche=100%25"));
        Assert.Equal("", await Names("?suche=%25%25%25x"));
        Assert.Equal("Weberknecht", await Names("?status=warteliste"));
        Assert.Equal("Weber, Maria", await Names("?suche=weber&status=bestaetigt"));
    }

    [Fact]
    public async Task Sorting_by_name_follows_German_rules_and_every_column_can_sort_both_ways()
    {
        var ev = await EventAsync();
        var at = _site.Clock.GetUtcNow();
        await _site.AddRegistrationAsync(ev.Id, r => (r.LastName, r.Organisation, r.RegisteredAtUtc) = ("Zander", "Amt A", at.AddMinutes(1).UtcDateTime));
        await _site.AddRegistrationAsync(ev.Id, r => (r.LastName, r.Organisation, r.RegisteredAtUtc, r.Status) = ("Ärmel", "Zweckverband", at.AddMinutes(3).UtcDateTime, RegistrationStatus.Waiting));
        await _site.AddRegistrationAsync(ev.Id, r => (r.LastName, r.Organisation, r.RegisteredAtUtc) = ("adler", "Österreich-Büro", at.AddMinutes(2).UtcDateTime));
        var client = await _site.CreateStaffClientAsync(_staff);

        async Task<string> Order(string query)
        {
            var (_, text) = await client.GetTextAsync(ListUrl + query);
            return string.Join(",", SortNames.OrderBy(n => text.IndexOf(n + ",", StringComparison.Ordinal)));
        }

        Assert.Equal("adler,Ärmel,Zander", await Order(""));
        Assert.Equal("Zander,Ärmel,adler", await Order("?sortierung=name&absteigend=true"));
        Assert.Equal("Zander,adler,Ärmel", await Order("?sortierung=organisation"));
        Assert.Equal("Zander,adler,Ärmel", await Order("?sortierung=angemeldet"));
        Assert.Equal("Ärmel,adler,Zander", await Order("?sortierung=angemeldet&absteigend=true"));
        Assert.Equal("adler,Zander,Ärmel", await Order("?sortierung=status"));
    }

    [Fact]
    public async Task Five_thousand_registrations_are_paged_fifty_at_a_time()
    {
        var ev = await EventAsync();
        await _site.AddManyAsync(ev.Id, 5000);
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, first) = await client.GetTextAsync(ListUrl);
        var (_, last) = await client.GetTextAsync(ListUrl + "?seite=100");
        var (_, beyond) = await client.GetTextAsync(ListUrl + "?seite=999");
        var (_, found) = await client.GetTextAsync(ListUrl + "?suche=person02345");

        Assert.Contains("5000 Anmeldungen, Seite 1 von 100", first, StringComparison.Ordinal);
        Assert.Contains("Nachname00000, Vorname0", first, StringComparison.Ordinal);
        Assert.Contains("Nachname00049, Vorname49", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Nachname00050", first, StringComparison.Ordinal);
        Assert.Contains("seite=2", first, StringComparison.Ordinal);
        Assert.Contains("Nachname04999", last, StringComparison.Ordinal);
        Assert.DoesNotContain("Nachname04949", last, StringComparison.Ordinal);
        Assert.Contains("Seite 100 von 100", beyond, StringComparison.Ordinal);
        Assert.Contains("1 Anmeldung", found, StringComparison.Ordinal);
        Assert.Contains("Nachname02345", found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marking_attendance_asks_first_then_records_it_and_can_be_undone()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName) = ("Hanna", "Groß"));
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, question) = await client.GetTextAsync(PersonUrl(person.Id, "teilnahme"));
        Assert.Contains("Teilnahme vermerken", question, StringComparison.Ordinal);
        Assert.Contains("Hanna Groß", question, StringComparison.Ordinal);
        Assert.Null(await AttendedAtAsync(person.Id));

        using var mark = await client.SubmitFormAsync(PersonUrl(person.Id, "teilnahme"));
        Assert.Equal(HttpStatusCode.SeeOther, mark.StatusCode);
        Assert.Equal(PersonUrl(person.Id) + "?erledigt=teilnahme", mark.Headers.Location!.ToString());
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, await AttendedAtAsync(person.Id));
        var (_, page) = await client.GetTextAsync(mark.Headers.Location!.ToString());
        Assert.Contains("Die Teilnahme wurde vermerkt.", page, StringComparison.Ordinal);

        using var undo = await client.SubmitFormAsync(PersonUrl(person.Id, "teilnahme-zuruecknehmen"));
        Assert.Equal(HttpStatusCode.SeeOther, undo.StatusCode);
        Assert.Null(await AttendedAtAsync(person.Id));

        var audit = await _site.WithDbAsync(db => db.AuditEntries.Where(a => a.RegistrationId == person.Id).OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([AuditAction.AttendanceMarked.Code, AuditAction.AttendanceUndone.Code], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((_staff, (int?)ev.Id), (a.Actor, a.EventId)));
    }

    [Fact]
    public async Task Attendance_cannot_be_marked_for_someone_on_the_waiting_list()
    {
        var ev = await EventAsync();
        var waiting = await _site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Waiting);
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, question) = await client.GetTextAsync(PersonUrl(waiting.Id, "teilnahme"));
        using var post = await client.SubmitFormAsync(PersonUrl(waiting.Id, "teilnahme"), tokenFrom: "/intern/abmelden");

        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Contains("Teilnahme lässt sich nur für bestätigte Anmeldungen vermerken; diese ist „Warteliste“.", question, StringComparison.Ordinal);
        Assert.DoesNotContain("Ja, Teilnahme vermerken", question, StringComparison.Ordinal);
        Assert.Null(await AttendedAtAsync(waiting.Id));
        Assert.False(await _site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.RegistrationId == waiting.Id, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Unknown_action_or_registration_of_another_event_is_a_404()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id);
        var client = await _site.CreateStaffClientAsync(_staff);

        using var unknownAction = await client.GetAsync(PersonUrl(person.Id, "verschenken"), TestContext.Current.CancellationToken);
        using var otherEvent = await client.GetAsync($"/intern/veranstaltungen/{TestEvents.SeedSlug}/anmeldungen/{person.Id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherEvent.StatusCode);
    }

    [Fact]
    public async Task The_person_page_shows_everything_they_entered_and_their_mails()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id, r => (r.Question, r.AccessibilityNeeds) = ("Wie finanziert ihr das Labor?", "Ich brauche Untertitel."));
        await AddMailAsync(person, OutboxStatus.Failed, "550 Postfach unbekannt");
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, text) = await client.GetTextAsync(PersonUrl(person.Id));

        Assert.Contains("Wie finanziert ihr das Labor?", text, StringComparison.Ordinal);
        Assert.Contains("Ich brauche Untertitel.", text, StringComparison.Ordinal);
        Assert.Contains("Anmeldebestätigung", text, StringComparison.Ordinal);
        Assert.Contains("550 Postfach unbekannt", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_mails_are_listed_for_staff()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id, r => r.Email = "tippfehler@exmaple.org");
        await AddMailAsync(person, OutboxStatus.Failed, "550 5.1.1 Recipient address rejected");
        await AddMailAsync(person, OutboxStatus.Sent, null);
        var client = await _site.CreateStaffClientAsync(_staff);

        var (status, text) = await client.GetTextAsync("/intern/mails");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("tippfehler@exmaple.org", text, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1 Recipient address rejected", text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{PersonUrl(person.Id)}\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_resends_promotes_and_cancels_through_confirmation_pages_with_mails_and_audit_entries()
    {
        var ev = await EventAsync(); // 2 places
        var anna = await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.Email) = ("Anna", "anna@kommune.example"));
        await _site.AddRegistrationAsync(ev.Id);
        var bernd = await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.Email, r.Status) = ("Bernd", "bernd@kommune.example", RegistrationStatus.Waiting));
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, person) = await client.GetTextAsync(PersonUrl(bernd.Id));
        Assert.Contains("Von der Warteliste bestätigen", person, StringComparison.Ordinal);
        using (var resend = await client.SubmitFormAsync(PersonUrl(anna.Id, "bestaetigung-erneut-senden")))
        using (var promote = await client.SubmitFormAsync(PersonUrl(bernd.Id, "nachruecken")))
        using (var cancel = await client.SubmitFormAsync(PersonUrl(anna.Id, "stornieren")))
        {
            Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], new[] { resend.StatusCode, promote.StatusCode, cancel.StatusCode });
        }

        var statuses = await _site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).Select(r => r.Status).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([RegistrationStatus.Cancelled, RegistrationStatus.Confirmed, RegistrationStatus.Confirmed], statuses);
        var mails = await _site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id > _mailSince && m.Kind != MailKind.StaffAccount).OrderBy(m => m.Id).Select(m => new { m.RegistrationId, m.Kind }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([(anna.Id, MailKind.Confirmation), (bernd.Id, MailKind.MovedUp), (anna.Id, MailKind.Cancellation)], mails.Select(m => (m.RegistrationId!.Value, m.Kind)));
        var (_, log) = await client.GetTextAsync("/intern/protokoll");
        Assert.Contains("Bestätigung erneut gesendet", log, StringComparison.Ordinal);
        Assert.Contains("Von der Warteliste bestätigt", log, StringComparison.Ordinal);
        Assert.Contains("Anmeldung storniert", log, StringComparison.Ordinal);

        var (_, again) = await client.GetTextAsync(PersonUrl(anna.Id, "stornieren"));
        using var twice = await client.SubmitFormAsync(PersonUrl(anna.Id, "stornieren"), tokenFrom: "/intern/abmelden");
        Assert.Contains("Diese Anmeldung ist bereits storniert.", again, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(3, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Id > _auditSince && EF.Functions.Like(a.Action, "registration.%"), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_failed_mail_goes_back_into_the_outbox_after_confirmation_and_is_recorded()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id);
        await AddMailAsync(person, OutboxStatus.Failed, "421 Bitte später");
        await AddMailAsync(person, OutboxStatus.Sent, null);
        var (failed, sent) = await _site.WithDbAsync(async db =>
        {
            var ids = await db.OutboxMessages.Where(m => m.Id > _mailSince).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(TestContext.Current.CancellationToken);
            return (ids[0], ids[1]);
        });
        var client = await _site.CreateStaffClientAsync(_staff);

        var (_, question) = await client.GetTextAsync($"/intern/mails/{failed}/erneut-senden");
        Assert.Contains("Ja, erneut senden", question, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Failed, await MailStatusAsync(failed));

        using var retry = await client.SubmitFormAsync($"/intern/mails/{failed}/erneut-senden");
        Assert.Equal(HttpStatusCode.SeeOther, retry.StatusCode);
        Assert.NotEqual(OutboxStatus.Failed, await MailStatusAsync(failed)); // pending, or already sent by the outbox
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Id > _auditSince && a.Action == AuditAction.MailRetried.Code, TestContext.Current.CancellationToken));
        Assert.Equal((_staff, (int?)ev.Id, (int?)person.Id), (audit.Actor, audit.EventId, audit.RegistrationId));

        var (_, notFailed) = await client.GetTextAsync($"/intern/mails/{sent}/erneut-senden");
        using var again = await client.SubmitFormAsync($"/intern/mails/{sent}/erneut-senden", tokenFrom: "/intern/abmelden");
        Assert.Contains("Diese E-Mail wurde inzwischen gesendet.", notFailed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Id > _auditSince && a.Action == AuditAction.MailRetried.Code, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Erasing_a_person_leaves_no_trace_but_an_anonymous_audit_entry()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id, r =>
            (r.FirstName, r.LastName, r.Email, r.Organisation, r.Question) = ("Zacharias", "Quellenbrink", "z.quellenbrink@example.org", "Gemeinde Quellenbrink-Süd", "Frage von Quellenbrink"));
        await AddMailAsync(person, OutboxStatus.Sent, null);
        await AddMailAsync(person, OutboxStatus.Failed, "421 try later");
        var other = await _site.AddRegistrationAsync(ev.Id);
        var client = await _site.CreateStaffClientAsync(_staff);
        Assert.NotEmpty(await DatabaseTrace.FindAsync(_site, "Quellenbrink"));

        var (_, question) = await client.GetTextAsync(PersonUrl(person.Id, "loeschen"));
        using var erase = await client.SubmitFormAsync(PersonUrl(person.Id, "loeschen"));

        Assert.Contains("endgültig gelöscht", question, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, erase.StatusCode);
        Assert.Equal(ListUrl + "?erledigt=loeschen", erase.Headers.Location!.ToString());
        var (_, list) = await client.GetTextAsync(ListUrl + "?erledigt=loeschen");
        Assert.Contains("Die Daten der Person wurden endgültig gelöscht.", list, StringComparison.Ordinal);
        Assert.Empty(await DatabaseTrace.FindAsync(_site, "Quellenbrink"));
        Assert.Empty(await DatabaseTrace.FindAsync(_site, "z.quellenbrink@example.org"));
        Assert.True(await _site.WithDbAsync(db => db.Registrations.AnyAsync(r => r.Id == other.Id, TestContext.Current.CancellationToken)));
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Id > _auditSince && a.Action == AuditAction.RegistrationErased.Code, TestContext.Current.CancellationToken));
        Assert.Equal((_staff, (int?)ev.Id, (int?)person.Id, (string?)null), (audit.Actor, audit.EventId, audit.RegistrationId, audit.Details));
        using var gone = await client.GetAsync(PersonUrl(person.Id), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_audit_log_shows_each_action_in_German_and_offers_no_way_to_change_it()
    {
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id);
        var client = await _site.CreateStaffClientAsync(_staff);
        using (await client.SubmitFormAsync(PersonUrl(person.Id, "teilnahme")))
        using (await client.GetAsync(ListUrl + "/export.csv", TestContext.Current.CancellationToken))
        using (await client.SubmitFormAsync(PersonUrl(person.Id, "loeschen")))
        {
        }

        using var response = await client.GetAsync("/intern/protokoll", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var text = Html.Fold(WebUtility.HtmlDecode(html));
        using var empty = new FormUrlEncodedContent([]);
        using var post = await client.PostAsync("/intern/protokoll", empty, TestContext.Current.CancellationToken);

        var expected = new[] { "Daten einer Person endgültig gelöscht", "Teilnehmendenliste exportiert", "Teilnahme vermerkt", "Login in den internen Bereich",
            "Zweiter Faktor (Authenticator-App) eingerichtet" };
        var positions = expected.Select(e => text.IndexOf(e, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions); // newest first
        Assert.Contains(_staff, text, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(5, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Id > _auditSince, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Logs_of_staff_work_hold_no_address_or_name()
    {
        var logs = new LogCollector();
        using var logged = _site.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var ev = await EventAsync();
        var person = await _site.AddRegistrationAsync(ev.Id, r => (r.FirstName, r.LastName, r.Email) = ("Geheimvorname", "Geheimnachname", "geheim.person@kommune.example"));
        var waiting = await _site.AddRegistrationAsync(ev.Id, r => (r.LastName, r.Email, r.Status) = ("Geheimwartend", "geheim.wartend@kommune.example", RegistrationStatus.Waiting));
        await _site.CreateStaffAsync(_staff);
        var client = logged.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await client.LogInAsync("unbekannt.geheim@kts.example", "Falsches Passwort hier"))
        using (await client.LogInAsync(_staff, "Falsches Passwort hier"))
        using (await client.LogInAsync(_staff, StaffSession.Password))
        using ((await client.EnrolAsync(_site)).Response)
        using (await client.SubmitFormAsync(PersonUrl(person.Id, "teilnahme")))
        using (await client.GetAsync(ListUrl + "/export.xlsx", TestContext.Current.CancellationToken))
        using (await client.SubmitFormAsync(PersonUrl(waiting.Id, "nachruecken")))
        using (await client.SubmitFormAsync(PersonUrl(person.Id, "loeschen")))
        {
        }

        Assert.Contains(logs.Lines, l => l.Contains($"Registration {person.Id} erased by staff", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Staff login failed", StringComparison.Ordinal));
        string[] secrets = ["geheim", "@kommune.example", _staff];
        Assert.All(logs.Lines, line => Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    private Task<OutboxStatus> MailStatusAsync(long id) =>
        _site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == id).Select(m => m.Status).SingleAsync(TestContext.Current.CancellationToken));

    private Task<DateTime?> AttendedAtAsync(int id) =>
        _site.WithDbAsync(db => db.Registrations.Where(r => r.Id == id).Select(r => r.AttendedAtUtc).SingleAsync(TestContext.Current.CancellationToken));

    private async Task AddMailAsync(Registration person, OutboxStatus status, string? error)
    {
        await using var scope = _site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Web.Data.CdoForumDbContext>();
        var now = _site.Clock.GetUtcNow().UtcDateTime;
        db.OutboxMessages.Add(new OutboxMessage
        {
            RegistrationId = person.Id,
            Kind = MailKind.Confirmation,
            Recipient = person.Email,
            Subject = $"Ihre Anmeldung, {person.FirstName} {person.LastName}",
            Mime = status == OutboxStatus.Sent ? null : System.Text.Encoding.UTF8.GetBytes($"To: {person.Email}\r\n\r\nHallo {person.LastName}"),
            Status = status,
            Attempts = status == OutboxStatus.Failed ? 8 : 1,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
            SentAtUtc = status == OutboxStatus.Sent ? now : null,
            LastError = error,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
