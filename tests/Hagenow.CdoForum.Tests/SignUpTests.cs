using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// One site for the class; each test signs up for an event of its own (<see cref="Slug"/>) and looks only at that
/// event's registrations and mails. Moving the clock forward by minutes does not disturb the others; a test that needs
/// another day or another rate limit starts a site of its own.
/// </summary>
[Trait("Engines", "Both")]
public sealed class SignUpTests(SignUpTests.Site shared) : IClassFixture<SignUpTests.Site>
{
    private readonly SiteFactory _site = shared;

    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:SignUpsPerMinutePerClient", "1000");
    }

    private string Slug { get; } = $"anmeldung-{Guid.NewGuid():N}"[..20];

    private IQueryable<Registration> RegistrationsOf(CdoForumDbContext db) => db.Registrations.Where(r => r.Event.Slug == Slug);

    /// <summary>This event's mails, and any mail without a registration (none should appear).</summary>
    private IQueryable<OutboxMessage> MailsOf(CdoForumDbContext db) =>
        db.OutboxMessages.Where(m => m.RegistrationId == null || db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.Event.Slug == Slug));

    [Fact]
    public async Task Valid_sign_up_is_stored_once_with_its_confirmation_mail_and_leads_to_the_participant_page()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var fields = SignUpForm.Valid("  Erika.Mustermann@Hagenow.de ");
        fields["FirstName"] = "  Erika ";

        using var response = await SignUpForm.SignUpAsync(client, Slug, fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/anmeldung/[A-Za-z0-9_-]{43}$", location);
        var token = location["/anmeldung/".Length..];
        var registration = await _site.WithDbAsync(db => RegistrationsOf(db).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(RegistrationStatus.Confirmed, registration.Status);
        Assert.Equal("Erika", registration.FirstName);
        Assert.Equal("Erika.Mustermann@Hagenow.de", registration.Email);
        Assert.Equal("erika.mustermann@hagenow.de", registration.EmailNormalized);
        Assert.Equal("Wie wird der Experimentierraum finanziert?", registration.Question);
        Assert.Null(registration.AccessibilityNeeds);
        Assert.Equal(RegistrationTokens.Hash(token), registration.TokenHash);
        Assert.NotEqual(token, registration.AccessKey);
        var mail = await _site.WithDbAsync(db => MailsOf(db).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal((MailKind.Confirmation, registration.Id, "Erika.Mustermann@Hagenow.de"), (mail.Kind, mail.RegistrationId, mail.Recipient));

        var (status, page) = await client.GetTextAsync(location);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Ihre Anmeldung ist bestätigt.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_sign_up_in_other_letter_case_stores_nothing_new_and_mails_the_link_again_without_showing_it()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        await SignUpForm.SignUpAndFollowAsync(client, Slug, "erika.mustermann@hagenow.de");
        _site.Clock.Advance(RegistrationService.LinkMailInterval + TimeSpan.FromMinutes(1));

        var other = SignUpForm.Valid(" ERIKA.Mustermann@HAGENOW.de ");
        other["FirstName"] = "Eva";
        using var response = await SignUpForm.SignUpAsync(client, Slug, other);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var text = await response.TextAsync();
        Assert.Contains("Diese E-Mail-Adresse ist bereits angemeldet", text, StringComparison.Ordinal);
        Assert.Contains("Wir haben den Link zu dieser Anmeldung noch einmal an die Adresse geschickt.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/anmeldung/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Erika", html, StringComparison.Ordinal);
        var registration = await _site.WithDbAsync(db => RegistrationsOf(db).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Erika", registration.FirstName);
        var kinds = await _site.WithDbAsync(db => MailsOf(db).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([MailKind.Confirmation, MailKind.LinkAgain], kinds);
    }

    [Fact]
    public async Task Repeated_duplicates_send_the_link_at_most_once_per_ten_minutes()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        await SignUpForm.SignUpAndFollowAsync(client, Slug, "erika@hagenow.de");

        // Right after signing up (double-click) and five more times: the confirmation just sent is enough.
        for (var i = 0; i < 6; i++)
        {
            using var again = await SignUpForm.SignUpAsync(client, Slug, SignUpForm.Valid("erika@hagenow.de"));
            Assert.Contains("bereits angemeldet", await again.TextAsync(), StringComparison.Ordinal);
        }

        _site.Clock.Advance(TimeSpan.FromMinutes(11));
        for (var i = 0; i < 3; i++)
        {
            using var again = await SignUpForm.SignUpAsync(client, Slug, SignUpForm.Valid("erika@hagenow.de"));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var kinds = await _site.WithDbAsync(db => MailsOf(db).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([MailKind.Confirmation, MailKind.LinkAgain], kinds);
        Assert.Equal(1, await _site.WithDbAsync(db => RegistrationsOf(db).CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("FirstName", "", "Geben Sie Ihren Vornamen ein.")]
    [InlineData("FirstName", "   ", "Geben Sie Ihren Vornamen ein.")]
    [InlineData("LastName", "", "Geben Sie Ihren Nachnamen ein.")]
    [InlineData("Email", "", "Geben Sie Ihre E-Mail-Adresse ein.")]
    [InlineData("Email", "erika.mustermann", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "erika@hagenow", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "erika@@hagenow.de", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "Erika <erika@hagenow.de>", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "erika@hagenow.de, boss@hagenow.de", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "erika mustermann@hagenow.de", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Organisation", "", "Geben Sie Ihre Organisation ein (Kommune, Behörde oder Einrichtung).")]
    [InlineData("JobTitle", "CDO\tStadt", "Die Funktion darf keine Zeilenumbrüche oder Steuerzeichen enthalten.")]
    [InlineData("Question", "Frage\u0007", "Ihre Frage oder Ihr Themenwunsch enthält unzulässige Steuerzeichen. Bitte geben Sie nur Text ein.")]
    [InlineData("AccessibilityNeeds", "\u001b[31m", "Der Hinweis zur Barrierefreiheit enthält unzulässige Steuerzeichen. Bitte geben Sie nur Text ein.")]
    [InlineData("Consent", "", "Bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben und mit der Verarbeitung Ihrer Angaben einverstanden sind.")]
    [InlineData("Consent", "true", "Bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben und mit der Verarbeitung Ihrer Angaben einverstanden sind.")]
    public async Task Invalid_field_gets_its_message_next_to_it_and_in_the_summary_and_nothing_is_stored(string field, string value, string message)
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields[field] = value;

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var html = WebUtility.HtmlDecode(raw);
        AssertFieldError(raw, field, message);
        Assert.Single(ErrorSummaryLinks(html));
        // Everything typed is still there.
        foreach (var (name, typed) in fields.Where(f => f.Key != field && f.Key != "Consent" && f.Value.Length > 0))
        {
            Assert.Contains(name is "Question" or "AccessibilityNeeds" ? $">{typed}</textarea>" : $"value=\"{typed}\"", html, StringComparison.Ordinal);
        }

        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Empty_form_lists_every_required_field_in_the_summary_in_form_order()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, []);

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["FirstName", "LastName", "Email", "Organisation", "Consent"], ErrorSummaryLinks(html));
        Assert.Contains("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>Fehler: Anmeldung:", html, StringComparison.Ordinal);
        Assert.Matches("""<script src="/js/error-summary[^"]*\.js" defer>""", html);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("FirstName", "Erika\r\nBcc: everyone@example.org", "Der Vorname darf keine Zeilenumbrüche oder Steuerzeichen enthalten.")]
    [InlineData("LastName", "Muster\nmann", "Der Nachname darf keine Zeilenumbrüche oder Steuerzeichen enthalten.")]
    [InlineData("Email", "erika@hagenow.de\r\nBcc: everyone@example.org", "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.")]
    [InlineData("Email", "erika@hagenow.de\n", "")]
    public async Task Line_breaks_in_a_name_or_the_address_are_refused(string field, string value, string message)
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields[field] = value;

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        if (message.Length == 0)
        {
            // A trailing line break is white space around the address: trimmed, like spaces.
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            Assert.Equal("erika@hagenow.de", await _site.WithDbAsync(db => RegistrationsOf(db).Select(r => r.Email).SingleAsync(TestContext.Current.CancellationToken)));
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertFieldError(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), field, message);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Line_breaks_in_the_question_are_kept_as_text()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields["Question"] = "Erstens: Kosten?\r\nZweitens: Personal?";

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Erstens: Kosten?\nZweitens: Personal?", await _site.WithDbAsync(db => RegistrationsOf(db).Select(r => r.Question).SingleAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("Question", "Ihre Frage oder Ihr Themenwunsch darf höchstens 1.000 Zeichen lang sein (jetzt: 5.000).")]
    [InlineData("FirstName", "Der Vorname darf höchstens 100 Zeichen lang sein (jetzt: 5.000).")]
    [InlineData("Organisation", "Die Organisation darf höchstens 200 Zeichen lang sein (jetzt: 5.000).")]
    [InlineData("Email", "Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.")]
    public async Task Five_thousand_characters_are_refused_with_the_limit_not_cut(string field, string message)
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields[field] = field == "Email" ? new string('e', 4990) + "@hagenow.de" : new string('x', 5000);

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertFieldError(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), field, message);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Twenty_thousand_characters_still_get_the_message_next_to_the_field()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields["AccessibilityNeeds"] = new string('x', 20_000);

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertFieldError(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "AccessibilityNeeds",
            "Der Hinweis zur Barrierefreiheit darf höchstens 1.000 Zeichen lang sein (jetzt: 20.000).");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Body_over_the_request_limit_gets_a_German_error_page_and_stores_nothing()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields["Question"] = new string('x', 200_000);

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
        var text = await response.TextAsync();
        Assert.True(text.Contains("Anfrage nicht verständlich", StringComparison.Ordinal) || text.Contains("Eingabe zu groß", StringComparison.Ordinal), text);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Exactly_the_limit_is_accepted()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var fields = SignUpForm.Valid();
        fields["Question"] = new string('ä', RegistrationFields.TextMax);
        fields["FirstName"] = new string('x', RegistrationFields.NameMax);

        using var response = await SignUpForm.SignUpAsync(_site.CreatePlainClient(), Slug, fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(RegistrationFields.TextMax, await _site.WithDbAsync(db => RegistrationsOf(db).Select(r => r.Question!.Length).SingleAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Filled_honeypot_stores_nothing_and_ends_on_a_neutral_page()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var fields = SignUpForm.Valid();
        fields["Homepage"] = "https://spam.example";

        using var response = await SignUpForm.SignUpAsync(client, Slug, fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/anmeldung/uebermittelt", response.Headers.Location!.OriginalString);
        await AssertNothingStoredAsync();
        var (status, text) = await client.GetTextAsync("/anmeldung/uebermittelt");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Wenn Ihre Anmeldung gespeichert wurde, erhalten Sie in wenigen Minuten eine E-Mail", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Honeypot_is_hidden_from_people_and_screen_readers()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));

        var html = await _site.CreateClient().GetStringAsync(SignUpForm.FormUrl(Slug), TestContext.Current.CancellationToken);

        Assert.Contains("<div class=\"honeypot\" aria-hidden=\"true\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Homepage\">Bitte leer lassen</label>", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"text\" id=\"Homepage\" name=\"Homepage\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">", html, StringComparison.Ordinal);
        var css = await _site.CreateClient().GetStringAsync("/css/site.css", TestContext.Current.CancellationToken);
        Assert.Contains(".honeypot { position: absolute; left: -10000px;", css, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_refused_with_400_and_stores_nothing()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));

        using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid(), token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Anfrage nicht verständlich", await response.TextAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Form_has_labels_autocomplete_and_the_consent_links_to_the_privacy_page()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));

        var html = await _site.CreateClient().GetStringAsync(SignUpForm.FormUrl(Slug), TestContext.Current.CancellationToken);

        foreach (var (field, autocomplete) in new[] { ("FirstName", "given-name"), ("LastName", "family-name"), ("Email", "email"), ("Organisation", "organization"), ("JobTitle", "organization-title") })
        {
            Assert.Contains($"<label for=\"{field}\">", html, StringComparison.Ordinal);
            Assert.Matches($"<input id=\"{field}\" name=\"{field}\"[^>]* autocomplete=\"{autocomplete}\"", html);
        }

        Assert.Contains("<label for=\"Question\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"AccessibilityNeeds\">", html, StringComparison.Ordinal);
        Assert.Matches("<label for=\"Consent\">Ich habe die <a href=\"/datenschutz\"", html);
        Assert.Contains("<form method=\"post\" novalidate", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"Email-hint\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_deadline_the_form_says_so_and_a_post_stores_nothing()
    {
        // Moves the clock to the event day: a site of its own.
        using var site = new SiteFactory();
        await site.ImportAsync(TestEvents.Future(Slug));
        var client = site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));

        // The form was opened before the deadline and sent after it.
        site.Clock.SetUtcNow(new DateTimeOffset(2027, 5, 12, 13, 0, 0, TimeSpan.FromHours(2)));
        using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid(), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.TextAsync();
        Assert.Contains("Die Anmeldung ist geschlossen.", text, StringComparison.Ordinal);
        Assert.Contains("Anmeldeschluss war am 12.05.2027, 13:00 Uhr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Verbindlich anmelden", text, StringComparison.Ordinal);
        await AssertNothingStoredAsync(site);
    }

    [Fact]
    public async Task A_sign_up_just_after_the_event_changed_is_mailed_with_the_event_as_stored_now()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        using (var first = await SignUpForm.SignUpAsync(client, Slug, SignUpForm.Valid("erste@hagenow.de")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        }

        // Within the second the sign-up form may work from its copy of the event: the write must notice the change.
        await _site.ImportAsync(TestEvents.Future(Slug) with { Title = "Ein ganz neuer Titel" });
        using var second = await SignUpForm.SignUpAsync(client, Slug, SignUpForm.Valid("zweite@hagenow.de"));

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var mail = await _site.WithDbAsync(db => MailsOf(db).SingleAsync(m => m.Recipient == "zweite@hagenow.de", TestContext.Current.CancellationToken));
        var message = await _site.MessageOfAsync(mail);
        Assert.Contains("Ein ganz neuer Titel", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("CDO-Forum: Ein ganz neuer Titel", message.Invite().Events.Single().Summary);
    }

    [Fact]
    public async Task A_sign_up_just_after_the_event_was_withdrawn_gets_404_and_stores_nothing()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));
        // A POST with an error: the form's copy of the event is now at most a second old.
        using (var invalid = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), [], token))
        {
            Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        }

        await _site.ImportAsync(TestEvents.Future(Slug) with { Published = false });
        using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid(), token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await _site.WithDbAsync(db => RegistrationsOf(db).CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Past_seed_event_shows_a_closed_form()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync(SignUpForm.FormUrl(TestEvents.SeedSlug));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Die Anmeldung ist geschlossen.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"FirstName\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_event_has_no_form()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync(SignUpForm.FormUrl("gibt-es-nicht"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_full_the_sign_up_goes_on_the_waiting_list_and_the_pages_say_so()
    {
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 1));
        var client = _site.CreatePlainClient();
        await SignUpForm.SignUpAndFollowAsync(client, Slug, "erste@hagenow.de");

        var (_, form) = await client.GetTextAsync(SignUpForm.FormUrl(Slug));
        Assert.Contains("Alle Plätze sind vergeben.", form, StringComparison.Ordinal);
        Assert.Contains("Auf die Warteliste setzen", form, StringComparison.Ordinal);
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, "zweite@hagenow.de");

        var (_, text) = await client.GetTextAsync(page);
        Assert.Contains("Sie stehen auf der Warteliste, auf Platz 1.", text, StringComparison.Ordinal);
        var (_, eventPage) = await client.GetTextAsync($"/veranstaltungen/{Slug}");
        Assert.Contains("<dt>Plätze</dt><dd>ausgebucht, Warteliste (1 Person)</dd>", eventPage, StringComparison.Ordinal);
        Assert.Contains("Auf die Warteliste", eventPage, StringComparison.Ordinal);
        var kinds = await _site.WithDbAsync(db => MailsOf(db).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([MailKind.Confirmation, MailKind.WaitingList], kinds);
    }

    [Fact]
    public async Task Event_page_shows_the_free_places()
    {
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 20));
        var client = _site.CreatePlainClient();
        await SignUpForm.SignUpAndFollowAsync(client, Slug, "erste@hagenow.de");

        var (_, text) = await client.GetTextAsync($"/veranstaltungen/{Slug}");

        Assert.Contains("<dt>Plätze</dt><dd>19 von 20 frei</dd>", text, StringComparison.Ordinal);
        Assert.Contains("Jetzt anmelden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hundred_simultaneous_sign_ups_for_twenty_places_give_exactly_twenty_confirmed_and_eighty_waiting()
    {
        var ev = await _site.ImportAsync(TestEvents.Future(Slug, capacity: 20));
        var client = _site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));
        using var start = new ManualResetEventSlim();

        var posts = Enumerable.Range(1, 100).Select(i => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid($"person{i}@kommune.de"), token);
            return response.StatusCode;
        }, TestContext.Current.CancellationToken)).ToArray();
        start.Set();
        var statuses = await Task.WhenAll(posts);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.SeeOther, s));
        var rows = await _site.WithDbAsync(db => RegistrationsOf(db).Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(100, rows.Count);
        Assert.Equal(20, rows.Count(r => r.Status == RegistrationStatus.Confirmed));
        Assert.Equal(80, rows.Count(r => r.Status == RegistrationStatus.Waiting));
        // First come, first served: the confirmed are exactly the first twenty stored.
        Assert.All(rows.Take(20), r => Assert.Equal(RegistrationStatus.Confirmed, r.Status));
        var mails = await _site.WithDbAsync(db => MailsOf(db).GroupBy(m => m.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(100, mails.Sum(m => m.Count));
        Assert.Equal(20, mails.Single(m => m.Key == MailKind.Confirmation).Count);
        Assert.Equal(80, mails.Single(m => m.Key == MailKind.WaitingList).Count);
    }

    [Fact]
    public async Task Identical_sign_ups_at_the_same_moment_store_one_and_answer_the_rest_as_duplicates()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));
        using var start = new ManualResetEventSlim();

        var posts = Enumerable.Range(1, 10).Select(i => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid(i % 2 == 0 ? "Erika@Hagenow.de" : "erika@hagenow.de"), token);
            return (response.StatusCode, Text: await response.TextAsync());
        }, TestContext.Current.CancellationToken)).ToArray();
        start.Set();
        var results = await Task.WhenAll(posts);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.SeeOther);
        Assert.Equal(9, results.Count(r => r.StatusCode == HttpStatusCode.OK && r.Text.Contains("bereits angemeldet", StringComparison.Ordinal)));
        Assert.Equal(1, await _site.WithDbAsync(db => RegistrationsOf(db).CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Too_many_posts_from_one_address_get_the_German_429_page_and_the_form_still_shows()
    {
        using var site = new SiteFactory().With("RateLimits:SignUpsPerMinutePerClient", "3");
        await site.ImportAsync(TestEvents.Future(Slug));
        var client = site.CreatePlainClient();
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(Slug));

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid($"p{i}@kommune.de"), token);
            Assert.Equal(HttpStatusCode.SeeOther, allowed.StatusCode);
        }

        using var refused = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(Slug), SignUpForm.Valid("p4@kommune.de"), token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var text = await refused.TextAsync();
        Assert.Contains("Zu viele Anfragen", text, StringComparison.Ordinal);
        Assert.Contains("Bitte warten Sie eine Minute", text, StringComparison.Ordinal);
        Assert.Equal(3, await site.WithDbAsync(db => RegistrationsOf(db).CountAsync(TestContext.Current.CancellationToken)));
        var (status, _) = await client.GetTextAsync(SignUpForm.FormUrl(Slug));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static void AssertFieldError(string rawHtml, string field, string message)
    {
        Assert.Matches($"id=\"{field}\"[^>]*aria-describedby=\"[^\"]*{field}-error\"[^>]*aria-invalid=\"true\"", rawHtml);
        var html = WebUtility.HtmlDecode(rawHtml);
        Assert.Contains($"<a href=\"#{field}\">{message}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"field-error\" id=\"{field}-error\"><span class=\"visually-hidden\">Fehler:</span> {message}</span>", html, StringComparison.Ordinal);
    }

    private static List<string> ErrorSummaryLinks(string html)
    {
        var start = html.IndexOf("class=\"error-summary\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "No error summary.");
        var summary = html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
        return [.. System.Text.RegularExpressions.Regex.Matches(summary, "<a href=\"#([A-Za-z]+)\">").Select(m => m.Groups[1].Value)];
    }

    private async Task AssertNothingStoredAsync(SiteFactory? site = null)
    {
        site ??= _site;
        Assert.Equal(0, await site.WithDbAsync(db => RegistrationsOf(db).CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(0, await site.WithDbAsync(db => MailsOf(db).CountAsync(TestContext.Current.CancellationToken)));
    }
}
