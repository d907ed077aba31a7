using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>An event called off: page, calendar file, closed registration, and an Absage with METHOD:CANCEL to everyone registered.</summary>
public sealed class EventCancellationTests(SharedSite site) : IClassFixture<SharedSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewSlug() => $"absage-{Guid.NewGuid():N}"[..28];

    private Task<List<OutboxMessage>> MailsAsync(int eventId, MailKind kind) => site.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
        .Where(m => m.Kind == kind && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
        .OrderBy(m => m.Id).ToListAsync(Ct));

    [Fact]
    public async Task Staff_cancel_with_a_reason_after_a_confirmation_step_and_everyone_registered_gets_a_calendar_cancellation()
    {
        var slug = NewSlug();
        var ev = await site.ImportAsync(TestEvents.Future(slug));
        var confirmed = await site.AddRegistrationAsync(ev, email: $"{slug}-a@hagenow.de", firstName: "Anna", lastName: "Absage");
        var waiting = await site.AddRegistrationAsync(ev, email: $"{slug}-w@hagenow.de", status: RegistrationStatus.Waiting);
        await site.AddRegistrationAsync(ev, email: $"{slug}-c@hagenow.de", status: RegistrationStatus.Cancelled);
        var publicClient = site.CreateClient();
        var before = Ical.Net.Calendar.Load(await publicClient.GetStringAsync($"/veranstaltungen/{slug}/termin.ics", Ct))!.Events.Single();
        var signUpToken = await SignUpForm.GetAntiforgeryTokenAsync(publicClient, SignUpForm.FormUrl(slug));
        var staff = await site.CreateStaffClientAsync();
        var url = $"/intern/veranstaltungen/{slug}/absagen";

        Assert.Contains($"href=\"{url}\"", await staff.GetStringAsync($"/intern/veranstaltungen/{slug}", Ct), StringComparison.Ordinal);
        Assert.Contains("2 Personen werden benachrichtigt", Html.Fold(await staff.GetStringAsync(url, Ct)), StringComparison.Ordinal);

        using (var step = await staff.SubmitFormAsync($"{url}?handler=Pruefen", new Dictionary<string, string> { ["Grund"] = "Die Referentin ist erkrankt." }))
        {
            var text = Html.Fold(await step.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
            Assert.Contains("Bitte bestätigen:", text, StringComparison.Ordinal);
            Assert.Contains("2 Personen werden per E-Mail benachrichtigt", text, StringComparison.Ordinal);
        }

        Assert.Null(await site.WithDbAsync(db => db.Events.Where(e => e.Id == ev.Id).Select(e => e.CancelledAtUtc).SingleAsync(Ct)));

        using (var done = await staff.SubmitFormAsync($"{url}?handler=Absagen", new Dictionary<string, string> { ["Grund"] = "Die Referentin ist erkrankt." }, tokenFrom: url))
        {
            Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
            Assert.Equal($"/intern/veranstaltungen/{slug}?erledigt=absage", done.Headers.Location!.ToString());
        }

        var page = Html.Fold(await publicClient.GetStringAsync($"/veranstaltungen/{slug}", Ct));
        Assert.Contains("Abgesagt:", page, StringComparison.Ordinal);
        Assert.Contains("Grund: Die Referentin ist erkrankt.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Jetzt anmelden", page, StringComparison.Ordinal);
        var published = Ical.Net.Calendar.Load(await publicClient.GetStringAsync($"/veranstaltungen/{slug}/termin.ics", Ct))!.Events.Single();
        Assert.Equal("CANCELLED", published.Status);
        Assert.True(published.Sequence > before.Sequence);

        var rows = await MailsAsync(ev.Id, MailKind.EventCancelled);
        Assert.Equal([confirmed.Id, waiting.Id], rows.Select(r => r.RegistrationId!.Value).Order());
        var mail = await site.MessageOfAsync(rows.Single(r => r.RegistrationId == confirmed.Id));
        Assert.Equal("Absage: CDO-Forum am 12. Mai 2027", mail.Subject);
        Assert.Contains("leider müssen wir das CDO-Forum am Mittwoch, 12. Mai 2027 absagen", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Grund: Die Referentin ist erkrankt.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Die Referentin ist erkrankt.", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("CANCEL", mail.Calendar().ContentType.Parameters["method"]);
        var invite = mail.Invite();
        Assert.Equal("CANCEL", invite.Method);
        Assert.Equal(before.Uid, invite.Events.Single().Uid);
        Assert.Equal("CANCELLED", invite.Events.Single().Status);
        Assert.True(invite.Events.Single().Sequence >= published.Sequence);
        Assert.Equal("absage.ics", Assert.Single(mail.Attachments).ContentDisposition?.FileName);

        var audit = await site.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.EventId == ev.Id && a.Action == AuditAction.EventCancelled.Code, Ct));
        Assert.Equal((StaffSession.Email, "2 Personen benachrichtigt"), (audit.Actor, audit.Details));

        // Registration is closed: the form refuses and nothing is stored.
        using var signUp = await SignUpForm.PostAsync(publicClient, SignUpForm.FormUrl(slug), SignUpForm.Valid(email: $"{slug}-neu@hagenow.de"), signUpToken);
        Assert.NotEqual(HttpStatusCode.SeeOther, signUp.StatusCode);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.Email == $"{slug}-neu@hagenow.de", Ct)));

        // A second attempt neither cancels again nor mails again.
        var again = Html.Fold(await staff.GetStringAsync(url, Ct));
        Assert.Contains("Die Veranstaltung ist bereits abgesagt.", again, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"" + url + "\"", await staff.GetStringAsync($"/intern/veranstaltungen/{slug}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overlong_reason_or_control_characters_are_refused_with_a_German_message_and_nothing_changes()
    {
        var slug = NewSlug();
        var ev = await site.ImportAsync(TestEvents.Future(slug));
        await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");
        await using var scope = site.Services.CreateAsyncScope();
        var notices = scope.ServiceProvider.GetRequiredService<EventChangeNotices>();

        var tooLong = await notices.CancelEventAsync(slug, new string('x', 1001), "test", Ct);
        var control = await notices.CancelEventAsync(slug, "Grund\u0007", "test", Ct);

        Assert.Equal((EventCancelOutcome.InvalidReason, "Der Grund darf höchstens 1000 Zeichen lang sein (jetzt 1001)."), (tooLong.Outcome, tooLong.Error));
        Assert.Equal((EventCancelOutcome.InvalidReason, "Der Grund darf keine Steuerzeichen enthalten."), (control.Outcome, control.Error));
        Assert.Null(await site.WithDbAsync(db => db.Events.Where(e => e.Id == ev.Id).Select(e => e.CancelledAtUtc).SingleAsync(Ct)));
        Assert.Empty(await MailsAsync(ev.Id, MailKind.EventCancelled));
    }

    [Fact]
    public async Task Cancelling_drops_change_mails_and_reminders_not_yet_sent()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug);
        var ev = await site.ImportAsync(document);
        var person = await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");
        await site.QueueMailAsync(person.Id, MailKind.Reminder);
        await site.ImportAsync(document with { Start = "12:00" });
        Assert.Single(await MailsAsync(ev.Id, MailKind.Change));

        await using (var scope = site.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EventChangeNotices>().CancelEventAsync(slug, null, "test", Ct);
        }

        Assert.Empty(await MailsAsync(ev.Id, MailKind.Change));
        Assert.Empty(await MailsAsync(ev.Id, MailKind.Reminder));
        var cancel = await site.MessageOfAsync(Assert.Single(await MailsAsync(ev.Id, MailKind.EventCancelled)));
        Assert.DoesNotContain("Grund:", cancel.TextBody, StringComparison.Ordinal);

        // A later import of the cancelled event mails nobody.
        var result = await site.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<Web.Events.EventImporter>()
            .ImportAsync((document with { Start = "11:00" }).ToJson(), Ct);
        Assert.Equal(0, result.Notified);
        Assert.Empty(await MailsAsync(ev.Id, MailKind.Change));
    }

    [Fact]
    public async Task Events_cancel_on_the_command_line_notifies_and_refuses_what_it_cannot_do()
    {
        var slug = NewSlug();
        var ev = await site.ImportAsync(TestEvents.Future(slug));
        await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");

        var (exit, output, _) = await RunAsync("events", "cancel", slug, "--reason", "Zu wenige Anmeldungen.");
        Assert.Equal(0, exit);
        Assert.Equal($"Veranstaltung „{slug}“ abgesagt. 1 Person wird per E-Mail benachrichtigt.", output.Trim());
        Assert.Equal("Zu wenige Anmeldungen.", await site.WithDbAsync(db => db.Events.Where(e => e.Id == ev.Id).Select(e => e.CancellationReason).SingleAsync(Ct)));
        Assert.Single(await MailsAsync(ev.Id, MailKind.EventCancelled));
        var audit = await site.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.EventId == ev.Id && a.Action == AuditAction.EventCancelled.Code, Ct));
        Assert.Equal(AuditLog.CommandLineActor, audit.Actor);

        var (againExit, _, againError) = await RunAsync("events", "cancel", slug);
        Assert.Equal(1, againExit);
        Assert.Contains("bereits abgesagt", againError, StringComparison.Ordinal);
        Assert.Single(await MailsAsync(ev.Id, MailKind.EventCancelled));

        var (unknownExit, _, unknownError) = await RunAsync("events", "cancel", "gibt-es-nicht");
        Assert.Equal(1, unknownExit);
        Assert.Contains("Es gibt keine Veranstaltung mit dem slug „gibt-es-nicht“", unknownError, StringComparison.Ordinal);

        var (pastExit, _, pastError) = await RunAsync("events", "cancel", TestEvents.SeedSlug);
        Assert.Equal(1, pastExit);
        Assert.Contains("hat bereits stattgefunden", pastError, StringComparison.Ordinal);

        var (usageExit, _, usageError) = await RunAsync("events", "cancel");
        Assert.Equal(2, usageExit);
        Assert.Contains("events cancel SLUG [--reason TEXT]", usageError, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, site.Services, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
