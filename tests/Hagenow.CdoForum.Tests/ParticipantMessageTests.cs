using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>"Nachricht an Teilnehmende": groups, placeholders, preview, count, confirmation; bad input refused in German.</summary>
public sealed class ParticipantMessageTests(SharedSite site) : IClassFixture<SharedSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record People(Event Event, Registration Attended, Registration NotAttended, Registration Waiting, Registration Cancelled);

    private async Task<People> EventWithPeopleAsync()
    {
        var slug = $"nachricht-{Guid.NewGuid():N}"[..30];
        var ev = await site.ImportAsync(TestEvents.Future(slug));
        var now = site.Clock.GetUtcNow().UtcDateTime;
        var attended = await site.AddRegistrationAsync(ev.Id, r => { r.FirstName = "Anna"; r.LastName = "Anwesend"; r.AttendedAtUtc = now; });
        var notAttended = await site.AddRegistrationAsync(ev.Id, r => { r.FirstName = "Bernd"; r.LastName = "Bestätigt"; });
        var waiting = await site.AddRegistrationAsync(ev.Id, r => { r.FirstName = "Wilma"; r.LastName = "Warteliste"; r.Status = RegistrationStatus.Waiting; });
        var cancelled = await site.AddRegistrationAsync(ev.Id, r => { r.FirstName = "Stefan"; r.LastName = "Storniert"; r.Status = RegistrationStatus.Cancelled; });
        return new People(ev, attended, notAttended, waiting, cancelled);
    }

    private Task<List<OutboxMessage>> MessagesAsync(int eventId) => site.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
        .Where(m => m.Kind == MailKind.Message && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
        .OrderBy(m => m.Id).ToListAsync(Ct));

    private async Task<MessagePreview> PreviewAsync(int eventId, MessageDraft draft)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EventChangeNotices>().PreviewMessageAsync(eventId, draft, Ct);
    }

    private async Task<MessagePreview> SendAsync(int eventId, MessageDraft draft)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EventChangeNotices>().SendMessageAsync(eventId, draft, "test", Ct);
    }

    [Fact]
    public async Task Staff_send_slides_to_those_who_attended_after_a_preview_with_the_count_and_each_gets_their_own_name_and_link()
    {
        var people = await EventWithPeopleAsync();
        var slug = people.Event.Slug;
        var staff = await site.CreateStaffClientAsync();
        var url = $"/intern/veranstaltungen/{slug}/nachricht";
        var fields = new Dictionary<string, string>
        {
            ["Gruppen"] = nameof(MessageGroup.Attended),
            ["Betreff"] = "Folien und Aufzeichnung",
            ["Text"] = "Guten Tag {Vorname} {Nachname},\n\nvielen Dank für Ihre Teilnahme. Folien: https://www.smart-city-dialog.de/folien\n\nIhre Anmeldung:\n{Link}",
        };
        Assert.Contains($"href=\"{url}\"", await staff.GetStringAsync($"/intern/veranstaltungen/{slug}", Ct), StringComparison.Ordinal);

        using (var preview = await staff.SubmitFormAsync($"{url}?handler=Vorschau", fields, tokenFrom: url))
        {
            var text = Html.Fold(await preview.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            Assert.Contains("Vorschau für Anna Anwesend", text, StringComparison.Ordinal);
            Assert.Contains("Guten Tag Anna Anwesend,", text, StringComparison.Ordinal);
            Assert.Contains("1 Person", text, StringComparison.Ordinal);
            Assert.Contains("Jetzt an 1 senden", text, StringComparison.Ordinal);
        }

        Assert.Empty(await MessagesAsync(people.Event.Id));

        using (var sent = await staff.SubmitFormAsync($"{url}?handler=Senden", fields, tokenFrom: url))
        {
            Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
            Assert.Equal($"/intern/veranstaltungen/{slug}?erledigt=nachricht", sent.Headers.Location!.ToString());
        }

        var row = Assert.Single(await MessagesAsync(people.Event.Id));
        Assert.Equal(people.Attended.Id, row.RegistrationId);
        var mail = await site.MessageOfAsync(row);
        Assert.Equal("Folien und Aufzeichnung", mail.Subject);
        Assert.Contains("Guten Tag Anna Anwesend,", mail.TextBody, StringComparison.Ordinal);
        var ownPage = $"/anmeldung/{await site.TokenForAsync(people.Attended)}";
        Assert.Contains($"Ihre Anmeldung:\nhttp://localhost:5080{ownPage}", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost:5080{ownPage}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Folien: https://www.smart-city-dialog.de/folien", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("{", mail.TextBody, StringComparison.Ordinal);
        File.WriteAllText("/tmp/message-mail.html", mail.HtmlBody);
        File.WriteAllText("/tmp/message-mail.txt", mail.TextBody);

        var audit = await site.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.EventId == people.Event.Id && a.Action == AuditAction.MessageSent.Code, Ct));
        Assert.Equal(StaffSession.Email, audit.Actor);
        Assert.StartsWith("1 Empfänger; Gruppen: Attended; Betreff: Folien und Aufzeichnung", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Anwesend", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("@", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_choose_the_recipients_and_a_person_in_two_groups_gets_one_mail()
    {
        var people = await EventWithPeopleAsync();
        var id = people.Event.Id;

        Assert.Equal(2, (await PreviewAsync(id, new([MessageGroup.Confirmed], "Hallo", "Text"))).RecipientCount);
        Assert.Equal(1, (await PreviewAsync(id, new([MessageGroup.Waiting], "Hallo", "Text"))).RecipientCount);
        Assert.Equal(1, (await PreviewAsync(id, new([MessageGroup.ConfirmedNotAttended], "Hallo", "Text"))).RecipientCount);

        var sent = await SendAsync(id, new([MessageGroup.Confirmed, MessageGroup.Attended, MessageGroup.Waiting], "Hallo {Vorname}", "Text für {Vorname}"));

        Assert.True(sent.IsValid);
        Assert.Equal(3, sent.RecipientCount);
        var rows = await MessagesAsync(id);
        Assert.Equal([people.Attended.Id, people.NotAttended.Id, people.Waiting.Id], rows.Select(r => r.RegistrationId!.Value).Order());
        Assert.Equal(["Hallo Anna", "Hallo Bernd", "Hallo Wilma"], rows.Select(r => r.Subject).Order());
        Assert.DoesNotContain(rows, r => r.RegistrationId == people.Cancelled.Id);
    }

    public static TheoryData<string, string?, string?, MessageGroup[], string> BadInputs => new()
    {
        { "empty subject", "  ", "Text", [MessageGroup.Confirmed], "Subject=Bitte geben Sie einen Betreff ein." },
        { "empty text", "Betreff", "", [MessageGroup.Confirmed], "Text=Bitte geben Sie einen Text ein." },
        { "unknown placeholder", "Betreff", "Hallo {Anrede} {Nachname}", [MessageGroup.Confirmed], "Text=Den Platzhalter „{Anrede}“ gibt es nicht. Möglich sind {Vorname}, {Nachname}, {Link}." },
        { "unknown placeholder in subject", "Hallo {Name}", "Text", [MessageGroup.Confirmed], "Subject=Den Platzhalter „{Name}“ gibt es nicht. Möglich sind {Vorname}, {Nachname}, {Link}." },
        { "over-long subject", new string('B', 151), "Text", [MessageGroup.Confirmed], "Subject=Der Betreff darf höchstens 150 Zeichen lang sein (jetzt 151)." },
        { "over-long text", "Betreff", new string('T', 10_001), [MessageGroup.Confirmed], "Text=Der Text darf höchstens 10000 Zeichen lang sein (jetzt 10001)." },
        { "line break in subject", "Betreff\r\nBcc: alle@example.org", "Text", [MessageGroup.Confirmed], "Subject=Der Betreff darf keine Steuerzeichen und keine Zeilenumbrüche enthalten." },
        { "control character in text", "Betreff", "Text\u0000mit Nullzeichen", [MessageGroup.Confirmed], "Text=Der Text darf keine Steuerzeichen enthalten (nur Zeilenumbrüche und Tabulatoren)." },
        { "no group", "Betreff", "Text", [], "Groups=Bitte wählen Sie mindestens eine Gruppe von Empfängerinnen und Empfängern." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_with_a_German_message_and_nothing_is_queued(string why, string? subject, string? text, MessageGroup[] groups, string expected)
    {
        var people = await EventWithPeopleAsync();

        var preview = await PreviewAsync(people.Event.Id, new(groups, subject, text));
        var sent = await SendAsync(people.Event.Id, new(groups, subject, text));

        Assert.Equal([expected], preview.Errors.Select(e => $"{e.Key}={e.Value}"));
        Assert.False(sent.IsValid, why);
        Assert.Equal(preview.Errors, sent.Errors);
        Assert.Empty(await MessagesAsync(people.Event.Id));
        Assert.Equal(0, await site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EventId == people.Event.Id && a.Action == AuditAction.MessageSent.Code, Ct)));
    }

    [Fact]
    public async Task A_group_with_nobody_in_it_is_refused()
    {
        var slug = $"nachricht-{Guid.NewGuid():N}"[..30];
        var ev = await site.ImportAsync(TestEvents.Future(slug));
        await site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Cancelled);

        var sent = await SendAsync(ev.Id, new([MessageGroup.Attended, MessageGroup.Confirmed], "Betreff", "Text"));

        Assert.Equal(0, sent.RecipientCount);
        Assert.Equal("In den gewählten Gruppen ist niemand: Die Nachricht hätte keine Empfängerinnen und Empfänger.", sent.Errors["Groups"]);
        Assert.Empty(await MessagesAsync(ev.Id));
    }

    [Fact]
    public async Task The_page_shows_each_error_next_to_its_field_and_in_the_summary()
    {
        var people = await EventWithPeopleAsync();
        var staff = await site.CreateStaffClientAsync("nachricht.fehler@kts.example.de");
        var url = $"/intern/veranstaltungen/{people.Event.Slug}/nachricht";

        using var response = await staff.SubmitFormAsync($"{url}?handler=Senden",
            new Dictionary<string, string> { ["Betreff"] = "", ["Text"] = "Hallo {Titel}" }, tokenFrom: url);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<a href=\"#Betreff\">Bitte geben Sie einen Betreff ein.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Betreff-error\">Bitte geben Sie einen Betreff ein.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Text-error\">Den Platzhalter „{Titel}“ gibt es nicht.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Gruppen-error\">Bitte wählen Sie mindestens eine Gruppe", html, StringComparison.Ordinal);
        Assert.Empty(await MessagesAsync(people.Event.Id));
    }
}
