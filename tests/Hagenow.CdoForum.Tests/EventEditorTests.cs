using Hagenow.CdoForum.Web.Mail;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>Staff create, copy, edit, preview, publish and withdraw events in the browser; the public never sees a draft.</summary>
public sealed class EventEditorTests(EventEditorTests.Site site) : IClassFixture<EventEditorTests.Site>
{
    /// <summary>One site for the whole class (after the seed event); each test makes its own events with unique slugs.</summary>
    public sealed class Site : SiteFactory
    {
        // Every test logs a staff member in from the one test client address.
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private async Task<HttpClient> StaffAsync()
    {
        // Password and the second factor, enrolled on first login.
        return await site.CreateStaffClientAsync($"{Unique("staff")}@kts.example.de");
    }

    /// <summary>A published future event with its own slug (capacity and a dial-in, so copying has something to leave out).</summary>
    private Task<Event> PublishedAsync(int? capacity = 30, string date = "2027-05-12") =>
        site.ImportAsync(TestEvents.Future(Unique("ev"), capacity, date) with
        {
            OnlineAccess = "https://webex.example.de/geheim-123",
            RegistrationDeadline = $"{date}T12:00",
        });

    private Task<Event> DraftAsync(int? capacity = 30) =>
        site.ImportAsync(TestEvents.Future(Unique("draft"), capacity) with { Published = false });

    private Task<Event> StoredAsync(string slug) =>
        site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == slug, Ct));

    private static string EditUrl(string slug) => $"/intern/veranstaltungen/{slug}/bearbeiten";

    /// <summary>The editor's form fields exactly as the page fills them for the stored event.</summary>
    private static Dictionary<string, string> FormOf(Event e)
    {
        var d = EventDocument.FromEvent(e);
        var fields = new Dictionary<string, string>
        {
            ["Input.Version"] = e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Slug"] = d.Slug ?? "",
            ["Input.Series"] = d.Series ?? "",
            ["Input.Title"] = d.Title ?? "",
            ["Input.Date"] = d.Date ?? "",
            ["Input.Start"] = d.Start ?? "",
            ["Input.End"] = d.End ?? "",
            ["Input.Format"] = d.Format ?? "",
            ["Input.Location"] = d.Location ?? "",
            ["Input.OnlineAccess"] = d.OnlineAccess ?? "",
            ["Input.Capacity"] = d.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["Input.RegistrationDeadline"] = d.RegistrationDeadline ?? "",
            ["Input.DescriptionHeading"] = d.DescriptionHeading ?? "",
            ["Input.Description"] = string.Join("\n\n", e.Description),
            ["Input.OrganiserName"] = e.Organiser.Name,
            ["Input.OrganiserShortName"] = e.Organiser.ShortName ?? "",
            ["Input.OrganiserCareOf"] = string.Join("\n", e.Organiser.CareOf),
            ["Input.OrganiserPhone"] = e.Organiser.Phone ?? "",
            ["Input.OrganiserHotline"] = e.Organiser.Hotline ?? "",
            ["Input.OrganiserEmail"] = e.Organiser.Email ?? "",
            ["Input.OrganiserWebsite"] = e.Organiser.Website ?? "",
            ["Input.OrganiserContactNote"] = e.Organiser.ContactNote ?? "",
            ["Input.Funders"] = string.Join("\n", e.Funders),
            ["Input.MoreInformationUrl"] = d.MoreInformationUrl ?? "",
            ["command"] = "save",
        };
        for (var i = 0; i < e.Agenda.Count; i++)
        {
            var a = d.Agenda![i];
            fields[$"Input.Agenda[{i}].Time"] = a.Time ?? "";
            fields[$"Input.Agenda[{i}].Title"] = a.Title ?? "";
            fields[$"Input.Agenda[{i}].Kind"] = a.Kind ?? "";
            for (var j = 0; j < a.Speakers!.Count; j++)
            {
                fields[$"Input.Agenda[{i}].Speakers[{j}].Name"] = a.Speakers[j].Name ?? "";
                fields[$"Input.Agenda[{i}].Speakers[{j}].Role"] = a.Speakers[j].Role ?? "";
                fields[$"Input.Agenda[{i}].Speakers[{j}].Organisation"] = a.Speakers[j].Organisation ?? "";
            }
        }

        return fields;
    }

    /// <summary>The value of a field in the (decoded) page: an input's value or a text area's text.</summary>
    private static string ValueOf(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"id=\"{id}\"[^>]*?(?:value=\"([^\"]*)\"[^>]*>|>([^<]*)</textarea>)");
        Assert.True(match.Success, $"no field {id}");
        return match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
    }

    private async Task<List<AuditEntry>> AuditAsync(int eventId) =>
        await site.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EventId == eventId).OrderBy(a => a.Id).ToListAsync(Ct));

    [Fact]
    public async Task A_new_date_for_a_published_event_with_registrants_is_saved_only_after_staff_confirm_who_is_told()
    {
        var ev = await PublishedAsync(date: "2027-08-11");
        await site.AddRegistrationAsync(ev.Id);
        await site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Waiting);
        var staff = await StaffAsync();
        var form = FormOf(await StoredAsync(ev.Slug));
        form["Input.Date"] = "2027-08-18";
        form["Input.RegistrationDeadline"] = "2027-08-18T12:00";

        using (var first = await staff.SubmitFormAsync(EditUrl(ev.Slug), form))
        {
            var html = WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Contains("Noch nicht gespeichert: 2 Personen werden benachrichtigt.", html, StringComparison.Ordinal);
            Assert.Contains("Datum: Mittwoch, 11. August 2027 → Mittwoch, 18. August 2027", html, StringComparison.Ordinal);
            Assert.Contains("value=\"save-notify\"", html, StringComparison.Ordinal);
        }

        var unchanged = await StoredAsync(ev.Slug);
        Assert.Equal((new DateOnly(2027, 8, 11), ev.Sequence), (unchanged.Date, unchanged.Sequence));
        Assert.False(await site.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Kind == MailKind.Change && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == ev.Id), Ct)));

        form["command"] = "save-notify";
        using (var confirmed = await staff.SubmitFormAsync(EditUrl(ev.Slug), form))
        {
            Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        }

        var saved = await StoredAsync(ev.Slug);
        Assert.Equal((new DateOnly(2027, 8, 18), ev.Sequence + 1), (saved.Date, saved.Sequence));
        Assert.Equal(2, await site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == MailKind.Change && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == ev.Id), Ct)));
        Assert.Contains("2 Personen benachrichtigt", (await AuditAsync(ev.Id)).Last().Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_as_template_makes_a_draft_of_everything_but_date_slug_registrations_and_online_access()
    {
        var template = await PublishedAsync(capacity: 25, date: "2027-05-12");
        await site.AddRegistrationAsync(template.Id);
        var staff = await StaffAsync();

        var (status, form) = await staff.GetTextAsync($"/intern/veranstaltungen/neu?vorlage={template.Slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("value=\"2027-06-09\"", form, StringComparison.Ordinal); // the same Wednesday four weeks later
        Assert.Contains("value=\"cdo-forum-2027-06-09\"", form, StringComparison.Ordinal);

        var slug = Unique("copy");
        using var created = await staff.SubmitFormAsync("/intern/veranstaltungen/neu", new Dictionary<string, string>
        {
            ["Input.Template"] = template.Slug, ["Input.Date"] = "2027-06-09", ["Input.Slug"] = slug,
        });

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Equal($"{EditUrl(slug)}?erledigt=angelegt", created.Headers.Location!.OriginalString);
        var copy = await StoredAsync(slug);
        Assert.False(copy.Published);
        Assert.Equal(new DateOnly(2027, 6, 9), copy.Date);
        Assert.Null(copy.OnlineAccess);
        Assert.Equal(new DateTime(2027, 6, 9, 12, 0, 0), copy.RegistrationDeadline); // moved with the date
        Assert.Equal(template.Title, copy.Title);
        Assert.Equal(25, copy.Capacity);
        Assert.Equal(template.Format, copy.Format);
        Assert.Equal(template.Description, copy.Description);
        Assert.Equal(template.Funders, copy.Funders);
        Assert.Equal(template.Organiser.Email, copy.Organiser.Email);
        Assert.Equal(
            template.Agenda.Select(a => (a.Time, a.Title, a.Kind, string.Join("|", a.Speakers.Select(s => $"{s.Name}/{s.Role}/{s.Organisation}")))),
            copy.Agenda.Select(a => (a.Time, a.Title, a.Kind, string.Join("|", a.Speakers.Select(s => $"{s.Name}/{s.Role}/{s.Organisation}")))));
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.EventId == copy.Id, Ct)));
        var audit = Assert.Single(await AuditAsync(copy.Id));
        Assert.Equal(AuditAction.EventCopied.Code, audit.Action);
        Assert.Equal($"Vorlage: Veranstaltung {template.Id}", audit.Details);
    }

    [Theory]
    [InlineData("", "2027-06-09", "Bitte füllen Sie „Webadresse (Slug)“ aus.")]
    [InlineData("Mit Leerzeichen", "2027-06-09", "nur Kleinbuchstaben a–z, Ziffern und Bindestriche")]
    [InlineData("TAKEN", "2027-06-09", "hat schon eine andere Veranstaltung")]
    [InlineData("neu-ok-1", "9.6.2027", "kein Datum der Form JJJJ-MM-TT")]
    public async Task Copy_with_a_bad_slug_or_date_is_refused_next_to_the_field_and_creates_nothing(string slug, string date, string message)
    {
        var template = await PublishedAsync();
        var staff = await StaffAsync();
        var count = await site.WithDbAsync(db => db.Events.CountAsync(Ct));

        using var response = await staff.SubmitFormAsync("/intern/veranstaltungen/neu", new Dictionary<string, string>
        {
            ["Input.Template"] = template.Slug, ["Input.Date"] = date, ["Input.Slug"] = slug == "TAKEN" ? template.Slug : slug,
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains("Bitte prüfen Sie Ihre Angaben", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("-error\"><span class=\"visually-hidden\">Fehler:</span>", html, StringComparison.Ordinal);
        Assert.Equal(count, await site.WithDbAsync(db => db.Events.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_draft_is_invisible_to_the_public_everywhere_but_staff_see_its_preview_and_PDF()
    {
        var draft = await DraftAsync();
        var staff = await StaffAsync();
        var anonymous = site.CreatePlainClient();

        foreach (var url in new[] { $"/veranstaltungen/{draft.Slug}", $"/veranstaltungen/{draft.Slug}/anmeldung",
                     $"/veranstaltungen/{draft.Slug}/programm.pdf", $"/veranstaltungen/{draft.Slug}/termin.ics" })
        {
            using var response = await anonymous.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
        }

        Assert.DoesNotContain(draft.Slug, await anonymous.GetStringAsync("/", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Slug, await anonymous.GetStringAsync("/kalender.ics", Ct), StringComparison.Ordinal);

        // A sign-up POST straight to the draft's address (token from a published event's form) stores nothing.
        var published = await PublishedAsync();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(anonymous, SignUpForm.FormUrl(published.Slug));
        using var post = await SignUpForm.PostAsync(anonymous, SignUpForm.FormUrl(draft.Slug), SignUpForm.Valid(), token);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.EventId == draft.Id, Ct)));

        // Nor through the service itself.
        await using (var scope = site.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<RegistrationService>();
            var result = await service.SignUpAsync(draft.Slug,
                new SignUpDetails(new ParticipantDetails("Erika", "Mustermann", "Stadt Hagenow", null), "erika@hagenow.de", null, null), Ct);
            Assert.Equal(SignUpOutcome.EventNotFound, result.Outcome);
        }

        using var login = await anonymous.GetAsync($"/intern/veranstaltungen/{draft.Slug}/vorschau", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var preview = await staff.GetAsync($"/intern/veranstaltungen/{draft.Slug}/vorschau", Ct);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("noindex, nofollow", preview.Headers.GetValues("X-Robots-Tag").Single());
        var previewText = await preview.TextAsync();
        Assert.Contains("Vorschau", previewText, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"robots\" content=\"noindex, nofollow\">", previewText, StringComparison.Ordinal);
        Assert.Contains(draft.Title, previewText, StringComparison.Ordinal);
        Assert.Contains($"/intern/veranstaltungen/{draft.Slug}/vorschau/pdf", previewText, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/veranstaltungen/{draft.Slug}/anmeldung\"", previewText, StringComparison.Ordinal);

        using var pdf = await staff.GetAsync($"/intern/veranstaltungen/{draft.Slug}/vorschau/pdf", Ct);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Testveranstaltung", string.Join(" ", PdfText.Pages(await pdf.Content.ReadAsByteArrayAsync(Ct))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_after_confirmation_puts_the_event_on_the_start_page_in_the_feed_and_opens_sign_up()
    {
        var draft = await DraftAsync();
        var staff = await StaffAsync();
        var anonymous = site.CreatePlainClient();

        var (askStatus, ask) = await staff.GetTextAsync($"/intern/veranstaltungen/{draft.Slug}/veroeffentlichen");
        Assert.Equal(HttpStatusCode.OK, askStatus);
        Assert.Contains("Jetzt veröffentlichen", ask, StringComparison.Ordinal);
        Assert.True((await StoredAsync(draft.Slug)).Published == false, "GET must not publish");

        using var publish = await staff.SubmitFormAsync($"/intern/veranstaltungen/{draft.Slug}/veroeffentlichen",
            new Dictionary<string, string> { ["Version"] = draft.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.SeeOther, publish.StatusCode);
        var stored = await StoredAsync(draft.Slug);
        Assert.True(stored.Published);
        using (var page = await anonymous.GetAsync($"/veranstaltungen/{draft.Slug}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Contains(draft.Title, WebUtility.HtmlDecode(await anonymous.GetStringAsync("/", Ct)), StringComparison.Ordinal);
        var feed = await anonymous.GetStringAsync("/kalender.ics", Ct);
        Assert.Contains($"UID:{draft.Slug}@localhost", feed, StringComparison.Ordinal);
        Assert.Contains($"SEQUENCE:{stored.Sequence}", feed, StringComparison.Ordinal);
        using (var signUp = await SignUpForm.SignUpAsync(anonymous, draft.Slug, SignUpForm.Valid($"{Unique()}@hagenow.de")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
        }

        Assert.Contains(AuditAction.EventPublished.Code, (await AuditAsync(draft.Id)).Select(a => a.Action));

        // Once someone has registered, the event cannot go back to draft.
        var (withdrawStatus, withdraw) = await staff.GetTextAsync($"/intern/veranstaltungen/{draft.Slug}/zurueckziehen");
        Assert.Equal(HttpStatusCode.OK, withdrawStatus);
        Assert.Contains("Zurückziehen ist nicht mehr möglich", withdraw, StringComparison.Ordinal);
        using var refused = await staff.SubmitFormAsync($"/intern/veranstaltungen/{draft.Slug}/zurueckziehen",
            new Dictionary<string, string> { ["Version"] = stored.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            tokenFrom: EditUrl(draft.Slug));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.True((await StoredAsync(draft.Slug)).Published);
    }

    [Fact]
    public async Task Withdrawing_while_nobody_registered_makes_it_a_draft_again()
    {
        var published = await PublishedAsync();
        var staff = await StaffAsync();

        using var response = await staff.SubmitFormAsync($"/intern/veranstaltungen/{published.Slug}/zurueckziehen",
            new Dictionary<string, string> { ["Version"] = published.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.False((await StoredAsync(published.Slug)).Published);
        using var page = await site.CreatePlainClient().GetAsync($"/veranstaltungen/{published.Slug}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains(AuditAction.EventUnpublished.Code, (await AuditAsync(published.Id)).Select(a => a.Action));
    }

    [Fact]
    public async Task Saving_changes_the_event_bumps_its_version_and_audits_which_fields_changed_not_their_contents()
    {
        var draft = await DraftAsync();
        var staff = await StaffAsync();
        var form = FormOf(draft);
        form["Input.Title"] = "Geheimer neuer Titel";
        form["Input.Agenda[1].Title"] = "Neuer Impuls";
        form["Input.Slug"] = draft.Slug + "-b";

        using var response = await staff.SubmitFormAsync(EditUrl(draft.Slug), form);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"{EditUrl(draft.Slug + "-b")}?erledigt=gespeichert", response.Headers.Location!.OriginalString);
        var stored = await StoredAsync(draft.Slug + "-b");
        Assert.Equal("Geheimer neuer Titel", stored.Title);
        Assert.Equal("Neuer Impuls", stored.Agenda[1].Title);
        Assert.Equal(draft.Sequence + 1, stored.Sequence);
        var audit = (await AuditAsync(draft.Id)).Last();
        Assert.Equal(AuditAction.EventSaved.Code, audit.Action);
        Assert.Equal("geändert: slug, title, agenda", audit.Details);
    }

    [Fact]
    public async Task A_second_save_based_on_an_old_version_is_refused_and_nothing_is_lost()
    {
        var draft = await DraftAsync();
        var first = await StaffAsync();
        var second = await StaffAsync();
        var formOfFirst = FormOf(draft);
        var formOfSecond = FormOf(draft);
        formOfFirst["Input.Title"] = "Titel der ersten Person";
        formOfSecond["Input.Title"] = "Titel der zweiten Person";

        using var saved = await first.SubmitFormAsync(EditUrl(draft.Slug), formOfFirst);
        using var refused = await second.SubmitFormAsync(EditUrl(draft.Slug), formOfSecond);

        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = await refused.TextAsync();
        Assert.Contains("Nicht gespeichert: Die Veranstaltung wurde inzwischen geändert", html, StringComparison.Ordinal);
        Assert.Equal("Titel der zweiten Person", ValueOf(html, "title")); // still in the form
        Assert.Equal("Titel der ersten Person", (await StoredAsync(draft.Slug)).Title);
    }

    public static TheoryData<string, string, string, string> BadEdits() => new()
    {
        // field, value, element id of the message, message
        { "Input.End", "12:00", "end", "Das Ende (12:00) liegt nicht nach dem Beginn (13:00)." },
        { "Input.Agenda[1].Time", "15:30", "agenda-1-time", "Programmpunkt 2: 15:30 Uhr liegt nicht zwischen Beginn und Ende der Veranstaltung." },
        { "Input.Agenda[2].Time", "13:01", "agenda-2-time", "Programmpunkt 3: die Programmpunkte müssen zeitlich geordnet sein" },
        { "Input.Capacity", "1", "capacity", "Es sind schon 2 Anmeldungen bestätigt; die Platzzahl darf nicht darunter liegen." },
        { "Input.Capacity", "0", "capacity", "Die Platzzahl muss größer als 0 sein" },
        { "Input.Capacity", "zwanzig", "capacity", "„zwanzig“ ist keine Platzzahl" },
        { "Input.RegistrationDeadline", "2027-05-12T13:30", "registrationDeadline", "Der Anmeldeschluss liegt nach dem Beginn der Veranstaltung." },
        { "Input.MoreInformationUrl", "javascript:alert(1)", "moreInformationUrl", "vollständige Adresse mit http:// oder https://" },
        { "Input.OrganiserWebsite", "ftp://example.de", "organiser-website", "vollständige Adresse mit http:// oder https://" },
        { "Input.Title", new string('x', 201), "title", "„Titel“ ist zu lang: höchstens 200 Zeichen, jetzt 201." },
        { "Input.Agenda[0].Speakers[0].Name", "Frederike\u0007Haupt", "agenda-0-speakers-0-name", "enthält unzulässige Steuerzeichen" },
        { "Input.Title", "", "title", "Bitte füllen Sie „Titel“ aus." },
        { "Input.Slug", "Neue Adresse", "slug", "nur Kleinbuchstaben a–z" },
        { "Input.Date", "12.05.2027", "date", "kein Datum der Form JJJJ-MM-TT" },
        { "Input.Format", "im Park", "format", "Das Format „im Park“ ist unbekannt" },
        { "Input.OrganiserEmail", "kein-at-zeichen", "organiser-email", "ist keine E-Mail-Adresse" },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task The_editor_refuses_a_bad_field_with_its_message_at_the_field_and_in_the_summary(string field, string value, string id, string message)
    {
        var ev = await PublishedAsync(capacity: 30);
        await site.AddRegistrationAsync(ev.Id, r => r.Email = "eins@hagenow.de");
        await site.AddRegistrationAsync(ev.Id, r => r.Email = "zwei@hagenow.de");
        var staff = await StaffAsync();
        var form = FormOf(ev);
        form[field] = value;

        using var response = await staff.SubmitFormAsync(EditUrl(ev.Slug), form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains($"<span class=\"field-error\" id=\"{id}-error\"><span class=\"visually-hidden\">Fehler:</span> ", html, StringComparison.Ordinal);
        Assert.Contains($"aria-describedby=\"{id}-error\"", html.Replace($"{id}-hint ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"#{id}\">", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        var stored = await StoredAsync(ev.Slug);
        Assert.Equal(ev.Sequence, stored.Sequence);
        Assert.Equal(EventDocument.FromEvent(ev).ToJson(), EventDocument.FromEvent(stored).ToJson());
    }

    [Fact]
    public async Task The_slug_of_a_published_event_is_fixed_and_a_draft_cannot_take_a_slug_in_use()
    {
        var published = await PublishedAsync();
        var draft = await DraftAsync();
        var staff = await StaffAsync();

        var form = FormOf(published);
        form["Input.Slug"] = published.Slug + "-neu";
        using var fixedSlug = await staff.SubmitFormAsync(EditUrl(published.Slug), form);
        var draftForm = FormOf(draft);
        draftForm["Input.Slug"] = published.Slug;
        using var taken = await staff.SubmitFormAsync(EditUrl(draft.Slug), draftForm);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, fixedSlug.StatusCode);
        Assert.Contains($"Die Webadresse einer veröffentlichten Veranstaltung bleibt „{published.Slug}“", await fixedSlug.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("hat schon eine andere Veranstaltung", await taken.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_remove_and_move_are_buttons_that_change_the_form_without_saving()
    {
        var draft = await DraftAsync();
        var staff = await StaffAsync();
        var form = FormOf(draft);

        form["command"] = "agenda-up-1";
        using var moved = await staff.SubmitFormAsync(EditUrl(draft.Slug), form);
        var movedHtml = await moved.TextAsync();
        form["command"] = "agenda-add";
        using var added = await staff.SubmitFormAsync(EditUrl(draft.Slug), form);
        var addedHtml = await added.TextAsync();
        form["command"] = "speaker-remove-0-1";
        using var removed = await staff.SubmitFormAsync(EditUrl(draft.Slug), form);
        var removedHtml = await removed.TextAsync();

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Contains("Programmpunkt 2 ist jetzt Punkt 1. Noch nicht gespeichert.", movedHtml, StringComparison.Ordinal);
        Assert.Equal(draft.Agenda[1].Title, ValueOf(movedHtml, "agenda-0-title"));
        Assert.Contains($"Programmpunkt {draft.Agenda.Count + 1} hinzugefügt", addedHtml, StringComparison.Ordinal);
        Assert.Contains($"name=\"Input.Agenda[{draft.Agenda.Count}].Title\"", addedHtml, StringComparison.Ordinal);
        Assert.Contains("Programmpunkt 1: Mitwirkende 2 entfernt.", removedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.Agenda[0].Speakers[1].Name\"", removedHtml, StringComparison.Ordinal);
        var stored = await StoredAsync(draft.Slug);
        Assert.Equal(draft.Sequence, stored.Sequence);
        Assert.Equal(draft.Agenda[0].Title, stored.Agenda[0].Title);
    }

    public static TheoryData<string, string> BadImports() => new()
    {
        { """{ "registrationDeadline": "2027-05-12T13:30" }""", "Feld „registrationDeadline“: Der Anmeldeschluss liegt nach dem Beginn der Veranstaltung." },
        { """{ "agendaTime1": "15:30" }""", "Feld „agenda[1].time“: Programmpunkt 2: 15:30 Uhr liegt nicht zwischen Beginn und Ende der Veranstaltung." },
        { """{ "moreInformationUrl": "ftp://example.de" }""", "Feld „moreInformationUrl“: Der weiterführende Link braucht eine vollständige Adresse mit http:// oder https://." },
        { """{ "title": "LONG" }""", "Feld „title“: „Titel“ ist zu lang: höchstens 200 Zeichen, jetzt 201." },
        { """{ "title": "Zeile\u0000Null" }""", "Feld „title“: „Titel“ enthält unzulässige Steuerzeichen" },
        { """{ "capacity": 1 }""", "Feld „capacity“: Es sind schon 2 Anmeldungen bestätigt; die Platzzahl darf nicht darunter liegen." },
        { """{ "published": false }""", "Feld „published“: Die Veranstaltung hat schon Anmeldungen und kann nicht wieder zum Entwurf werden." },
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task Import_applies_the_same_rules_with_the_same_messages(string change, string message)
    {
        var ev = await PublishedAsync(capacity: 30);
        await site.AddRegistrationAsync(ev.Id, r => r.Email = "eins@hagenow.de");
        await site.AddRegistrationAsync(ev.Id, r => r.Email = "zwei@hagenow.de");
        var document = EventDocument.FromEvent(ev);
        var changes = System.Text.Json.JsonDocument.Parse(change).RootElement;
        foreach (var property in changes.EnumerateObject())
        {
            document = property.Name switch
            {
                "registrationDeadline" => document with { RegistrationDeadline = property.Value.GetString() },
                "agendaTime1" => document with { Agenda = [.. document.Agenda!.Select((a, i) => i == 1 ? a with { Time = property.Value.GetString() } : a)] },
                "moreInformationUrl" => document with { MoreInformationUrl = property.Value.GetString() },
                "title" => document with { Title = property.Value.GetString() == "LONG" ? new string('x', 201) : property.Value.GetString() },
                "capacity" => document with { Capacity = property.Value.GetInt32() },
                "published" => document with { Published = property.Value.GetBoolean() },
                _ => throw new ArgumentException(property.Name),
            };
        }

        await using var scope = site.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EventImporter>().ImportAsync(document.ToJson(), Ct);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.StartsWith(message, StringComparison.Ordinal));
        var stored = await StoredAsync(ev.Slug);
        Assert.Equal(ev.Sequence, stored.Sequence);
        Assert.True(stored.Published);
    }

    [Fact]
    public async Task Import_takes_published_false_as_a_draft_and_an_absent_published_as_public()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(TestEvents.Future(Unique("old")).ToJson())!.AsObject();
        node.Remove("published");
        var withoutField = node.ToJsonString();
        Assert.DoesNotContain("published", withoutField, StringComparison.Ordinal);

        await using var scope = site.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<EventImporter>();
        var old = await importer.ImportAsync(withoutField, Ct);
        var draft = await importer.ImportAsync((TestEvents.Future(Unique("new")) with { Published = false }).ToJson(), Ct);

        Assert.True(old.Succeeded, string.Join(" ", old.Errors));
        Assert.True(old.Event!.Published);
        Assert.True(draft.Succeeded, string.Join(" ", draft.Errors));
        Assert.False(draft.Event!.Published);
        Assert.Contains("\"published\": false", EventDocument.FromEvent(draft.Event).ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_has_published_events_of_the_last_twelve_months_and_the_future_without_attendees_or_dial_in()
    {
        var future = await PublishedAsync(date: "2027-09-08");
        var lastYear = await site.ImportAsync(TestEvents.Future(Unique("past"), date: "2026-01-14"));
        var tooOld = await site.ImportAsync(TestEvents.Future(Unique("old"), date: "2025-10-01"));
        var draft = await DraftAsync();

        using var response = await site.CreatePlainClient().GetAsync("/kalender.ics", Ct);
        var feed = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("METHOD:PUBLISH", feed, StringComparison.Ordinal);
        Assert.Contains("X-WR-CALNAME:", feed, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", feed, StringComparison.Ordinal);
        Assert.Contains($"UID:{future.Slug}@localhost", feed, StringComparison.Ordinal);
        Assert.Contains($"UID:{lastYear.Slug}@localhost", feed, StringComparison.Ordinal);
        Assert.Contains($"UID:{TestEvents.SeedSlug}@localhost", feed, StringComparison.Ordinal);
        Assert.DoesNotContain(tooOld.Slug, feed, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Slug, feed, StringComparison.Ordinal);
        Assert.DoesNotContain("ATTENDEE", feed, StringComparison.Ordinal);
        Assert.DoesNotContain("webex.example.de", feed, StringComparison.Ordinal);

        var single = await site.CreatePlainClient().GetStringAsync($"/veranstaltungen/{future.Slug}/termin.ics", Ct);
        Assert.Contains($"UID:{future.Slug}@localhost", single, StringComparison.Ordinal);
        Assert.Contains($"SEQUENCE:{future.Sequence}", single, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_page_links_the_feed_for_subscription()
    {
        var html = await site.CreatePlainClient().GetStringAsync("/", Ct);

        Assert.Contains("Kalender abonnieren", html, StringComparison.Ordinal);
        Assert.Contains("href=\"webcal://localhost:5080/kalender.ics\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost:5080/kalender.ics\"", html, StringComparison.Ordinal);
    }
}
