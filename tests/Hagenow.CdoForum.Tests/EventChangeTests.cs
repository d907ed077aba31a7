using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>A change of date, time, format, place or access reaches the people who registered, once, with an updated invite.</summary>
public sealed class EventChangeTests(SharedSite site) : IClassFixture<SharedSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewSlug() => $"aenderung-{Guid.NewGuid():N}"[..30];

    private Task<List<OutboxMessage>> ChangeMailsAsync(int eventId) => site.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
        .Where(m => m.Kind == MailKind.Change && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
        .OrderBy(m => m.Id).ToListAsync(Ct));

    private async Task<ImportResult> ReimportAsync(EventDocument document, bool notify = true)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EventImporter>().ImportAsync(document.ToJson(), actor: null, notify, Ct);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result;
    }

    [Fact]
    public async Task A_new_date_queues_one_change_mail_per_confirmed_and_waiting_person_with_an_updated_invite_for_the_confirmed()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug) with { Format = "online", OnlineAccess = "https://konferenz.example.de/j/1" };
        var ev = await site.ImportAsync(document);
        var confirmed = await site.AddRegistrationAsync(ev, email: $"{slug}-a@hagenow.de", mail: MailKind.Confirmation);
        var waiting = await site.AddRegistrationAsync(ev, email: $"{slug}-w@hagenow.de", status: RegistrationStatus.Waiting);
        await site.AddRegistrationAsync(ev, email: $"{slug}-c@hagenow.de", status: RegistrationStatus.Cancelled);
        var confirmation = (await site.OutboxAsync()).Single(m => m.Recipient == confirmed.Email && m.Kind == MailKind.Confirmation);
        // The invite as the confirmation carried it before the change (it is composed when sent).
        var before = (await site.MessageOfAsync(confirmation)).Invite().Events.Single();

        var result = await ReimportAsync(document with { Date = "2027-05-19", Start = "12:30", End = "15:30", OnlineAccess = "https://konferenz.example.de/j/2" });

        Assert.Equal(2, result.Notified);
        var rows = await ChangeMailsAsync(ev.Id);
        Assert.Equal([confirmed.Id, waiting.Id], rows.Select(r => r.RegistrationId!.Value).Order());
        Assert.All(rows, r => Assert.Equal(site.Clock.GetUtcNow().UtcDateTime + EventChangeNotices.FoldWindow, r.NextAttemptAtUtc));

        var mail = await site.MessageOfAsync(rows.Single(r => r.RegistrationId == confirmed.Id));
        Assert.Equal("Änderung: CDO-Forum am 19. Mai 2027", mail.Subject);
        Assert.Contains("Datum: bisher Mittwoch, 12. Mai 2027 → jetzt Mittwoch, 19. Mai 2027", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Uhrzeit: bisher 13:00–14:00 Uhr → jetzt 12:30–15:30 Uhr", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("jetzt https://konferenz.example.de/j/2", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("bisher Mittwoch, 12. Mai 2027 → jetzt Mittwoch, 19. Mai 2027", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("REQUEST", mail.Calendar().ContentType.Parameters["method"]);
        var alternative = Assert.IsType<MimeKit.MultipartAlternative>(Assert.IsType<MimeKit.Multipart>(mail.Body)[0]);
        Assert.Contains(alternative, p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Single(mail.Attachments);

        var after = mail.Invite();
        Assert.Equal("REQUEST", after.Method);
        Assert.Equal(before.Uid, after.Events.Single().Uid);
        Assert.True(after.Events.Single().Sequence > before.Sequence);
        Assert.Equal(new DateTime(2027, 5, 19, 12, 30, 0), after.Events.Single().DtStart!.Value);

        var waitingMail = await site.MessageOfAsync(rows.Single(r => r.RegistrationId == waiting.Id));
        Assert.Equal("Änderung: CDO-Forum am 19. Mai 2027", waitingMail.Subject);
        Assert.DoesNotContain(waitingMail.BodyParts, p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.DoesNotContain("konferenz.example.de/j/2", waitingMail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Warteliste", waitingMail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saves_within_two_minutes_fold_into_one_mail_with_the_newest_state_and_an_undone_change_sends_nothing()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug) with { Format = "in-person", Location = "Rathaus Hagenow, Saal 1" };
        var ev = await site.ImportAsync(document);
        var person = await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");

        await ReimportAsync(document with { Location = "Rathaus Hagenow, Saal 2" });
        var first = Assert.Single(await ChangeMailsAsync(ev.Id));
        site.Clock.Advance(TimeSpan.FromSeconds(70));
        await ReimportAsync(document with { Location = "Rathaus Hagenow, Saal 3" });

        var folded = Assert.Single(await ChangeMailsAsync(ev.Id));
        Assert.Equal(person.Id, folded.RegistrationId);
        Assert.Equal(first.NextAttemptAtUtc, folded.NextAttemptAtUtc);
        var text = (await site.MessageOfAsync(folded)).TextBody;
        Assert.Contains("Ort: bisher Rathaus Hagenow, Saal 1 → jetzt Rathaus Hagenow, Saal 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Saal 2", text, StringComparison.Ordinal);

        site.Clock.Advance(TimeSpan.FromSeconds(30));
        var undone = await ReimportAsync(document);
        Assert.Equal(0, undone.Notified);
        Assert.Empty(await ChangeMailsAsync(ev.Id));
    }

    [Fact]
    public async Task A_change_after_the_window_is_a_mail_of_its_own_from_the_state_last_sent()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug);
        var ev = await site.ImportAsync(document);
        await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");

        await ReimportAsync(document with { Start = "12:00" });
        site.Clock.Advance(EventChangeNotices.FoldWindow + TimeSpan.FromSeconds(1));
        await ReimportAsync(document with { Start = "11:00" });

        var rows = await ChangeMailsAsync(ev.Id);
        Assert.Equal(2, rows.Count);
        Assert.Contains("bisher 12:00–14:00 Uhr → jetzt 11:00–14:00 Uhr", (await site.MessageOfAsync(rows[1])).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_only_change_mails_nobody_but_the_calendar_file_has_the_new_text_and_a_higher_sequence()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug);
        var ev = await site.ImportAsync(document);
        await site.AddRegistrationAsync(ev, email: $"{slug}@hagenow.de");
        var client = site.CreateClient();
        var before = Ical.Net.Calendar.Load(await client.GetStringAsync($"/veranstaltungen/{slug}/termin.ics", Ct))!.Events.Single();

        var result = await ReimportAsync(document with { Title = "Neuer Titel ohne neue Zeit", Description = ["Nur der Text ist neu."] });

        Assert.True(result.Changed);
        Assert.Equal(0, result.Notified);
        Assert.Empty(result.Changes!);
        Assert.Empty(await ChangeMailsAsync(ev.Id));
        var after = Ical.Net.Calendar.Load(await client.GetStringAsync($"/veranstaltungen/{slug}/termin.ics", Ct))!.Events.Single();
        Assert.Equal("CDO-Forum: Neuer Titel ohne neue Zeit", after.Summary);
        Assert.True(after.Sequence > before.Sequence);
        Assert.Contains("Neuer Titel ohne neue Zeit", await client.GetStringAsync($"/veranstaltungen/{slug}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_import_on_the_command_line_notifies_and_says_how_many_and_no_notify_does_not()
    {
        var slug = NewSlug();
        var document = TestEvents.Future(slug);
        var ev = await site.ImportAsync(document);
        await site.AddRegistrationAsync(ev, email: $"{slug}-1@hagenow.de");
        await site.AddRegistrationAsync(ev, email: $"{slug}-2@hagenow.de", status: RegistrationStatus.Waiting);

        var (exit, output, _) = await RunAsync("events", "import", WriteFile(document with { Date = "2027-05-26" }));
        Assert.Equal(0, exit);
        Assert.Contains("2 Personen werden per E-Mail benachrichtigt.", output, StringComparison.Ordinal);
        Assert.Contains("Datum (Mittwoch, 12. Mai 2027 → Mittwoch, 26. Mai 2027)", output, StringComparison.Ordinal);
        Assert.Equal(2, (await ChangeMailsAsync(ev.Id)).Count);

        // Past the window, so the earlier mails are out of reach and nothing folds.
        site.Clock.Advance(EventChangeNotices.FoldWindow + TimeSpan.FromSeconds(1));
        var (quietExit, quietOutput, _) = await RunAsync("events", "import", WriteFile(document with { Date = "2027-06-02" }), "--no-notify");
        Assert.Equal(0, quietExit);
        Assert.Contains("Niemand wird benachrichtigt (--no-notify).", quietOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await ChangeMailsAsync(ev.Id)).Count);
        Assert.Equal(new DateOnly(2027, 6, 2), await site.WithDbAsync(db => db.Events.Where(e => e.Id == ev.Id).Select(e => e.Date).SingleAsync(Ct)));
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, site.Services, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string WriteFile(EventDocument document)
    {
        var path = Path.Combine(site.Folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, document.ToJson());
        return path;
    }
}

/// <summary>Tests that move the clock to the day before the event, or run the outbox loop, need a site of their own.</summary>
public sealed class EventChangeReminderAndOutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Berlin(int month, int day, int hour) => BerlinTime.FromLocal(new DateTime(2027, month, day, hour, 0, 0));

    [Fact]
    public async Task A_reminder_queued_for_the_old_day_is_dropped_and_the_reminder_follows_the_new_day()
    {
        using var site = new SiteFactory(Berlin(5, 11, 9)).WithoutBackgroundJobs();
        var document = TestEvents.Future();
        var ev = await site.ImportAsync(document);
        var person = await site.AddRegistrationAsync(ev, email: "umzug@hagenow.de");
        Assert.Equal(1, await site.QueueDueRemindersAsync());

        await site.ImportAsync(document with { Date = "2027-05-20" });

        Assert.DoesNotContain(await site.OutboxAsync(), m => m.Kind == MailKind.Reminder);
        Assert.Null(await site.WithDbAsync(db => db.Registrations.Where(r => r.Id == person.Id).Select(r => r.ReminderQueuedAtUtc).SingleAsync(Ct)));
        Assert.Equal(0, await site.QueueDueRemindersAsync());

        site.Clock.SetUtcNow(Berlin(5, 19, 8));
        Assert.Equal(1, await site.QueueDueRemindersAsync());
        var reminder = await site.MessageOfAsync((await site.OutboxAsync()).Single(m => m.Kind == MailKind.Reminder));
        Assert.Equal("Erinnerung: CDO-Forum morgen, Donnerstag, 20. Mai 2027", reminder.Subject);
    }

    [Fact]
    public async Task Update_and_cancellation_reach_a_real_mail_server_as_the_same_calendar_entry_with_rising_sequence()
    {
        var port = Smtp.FreePort();
        using var server = Smtp.Start(port);
        using var site = new SiteFactory(Berlin(4, 1, 10)).WithSmtp(port).WithoutBackgroundJobs();
        var document = TestEvents.Future("smtp-aenderung") with { Format = "hybrid", Location = "Rathaus Hagenow", OnlineAccess = "https://konferenz.example.de/j/9" };
        var ev = await site.ImportAsync(document);
        await site.AddRegistrationAsync(ev, email: "kalender@hagenow.de", firstName: "Karla", lastName: "Kalender", mail: MailKind.Confirmation);
        await site.SendDueMailAsync();

        await site.ImportAsync(document with { Location = "Stadtbibliothek Hagenow" });
        await site.SendDueMailAsync();
        Assert.Equal(1, server.ReceivedEmailCount);
        site.Clock.Advance(EventChangeNotices.FoldWindow);
        await site.SendDueMailAsync();

        await using (var scope = site.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<EventChangeNotices>().CancelEventAsync("smtp-aenderung", "Die Referentin ist erkrankt.", "test", Ct);
            Assert.Equal(EventCancelOutcome.Cancelled, result.Outcome);
        }

        await site.SendDueMailAsync();
        Assert.Equal(3, server.ReceivedEmailCount);
        string[] order = ["Anmeldebestätigung", "Änderung", "Absage"];
        var mails = server.ReceivedEmail.Select(m => Mails.Parse(m.Data)).OrderBy(m => Array.FindIndex(order, o => (m.Subject ?? "").StartsWith(o, StringComparison.Ordinal))).ToList();
        Assert.Equal(["Anmeldebestätigung: CDO-Forum am 12. Mai 2027", "Änderung: CDO-Forum am 12. Mai 2027", "Absage: CDO-Forum am 12. Mai 2027"], mails.Select(m => m.Subject));
        var invites = mails.Select(m => m.Invite()).ToList();
        Assert.Equal(["REQUEST", "REQUEST", "CANCEL"], invites.Select(i => i.Method));
        Assert.Equal(["REQUEST", "REQUEST", "CANCEL"], mails.Select(m => m.Calendar().ContentType.Parameters["method"]));
        Assert.Single(invites.Select(i => i.Events.Single().Uid).Distinct());
        var sequences = invites.Select(i => i.Events.Single().Sequence).ToList();
        Assert.True(sequences[0] < sequences[1] && sequences[1] < sequences[2], string.Join(",", sequences));
        Assert.Contains("Stadtbibliothek Hagenow", invites[1].Events.Single().Location, StringComparison.Ordinal);
        Assert.Equal("CANCELLED", invites[2].Events.Single().Status);
        Assert.Contains("Grund: Die Referentin ist erkrankt.", mails[2].TextBody, StringComparison.Ordinal);
        File.WriteAllText("/tmp/change-mail.html", mails[1].HtmlBody);
        File.WriteAllText("/tmp/change-mail.txt", mails[1].TextBody);
        File.WriteAllText("/tmp/cancel-mail.html", mails[2].HtmlBody);
        File.WriteAllText("/tmp/cancel-mail.txt", mails[2].TextBody);
    }

    [Fact]
    public async Task The_outbox_sends_a_row_another_process_wrote_within_a_minute()
    {
        var port = Smtp.FreePort();
        using var server = Smtp.Start(port);
        using var site = new SiteFactory(Berlin(4, 1, 10)).WithSmtp(port);
        _ = site.Services;
        // Let the loop reach its first wait with nothing to do (generously: a loaded machine starts slowly).
        await Task.Delay(2000, Ct);

        // A second process (e.g. `events import` on the command line) writes through its own connection: no in-process signal.
        var now = site.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
        var mime = System.Text.Encoding.UTF8.GetBytes("From: kts@example.org\r\nTo: fremd@hagenow.de\r\nSubject: Aus einem anderen Prozess\r\n\r\nHallo\r\n");
        await using (var connection = new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO OutboxMessages (Kind, Recipient, Subject, Mime, Status, Attempts, CreatedAtUtc, NextAttemptAtUtc) VALUES ('Message', 'fremd@hagenow.de', 'Aus einem anderen Prozess', $mime, 'Pending', 0, $now, $now)";
            command.Parameters.AddWithValue("$mime", mime);
            command.Parameters.AddWithValue("$now", now);
            await command.ExecuteNonQueryAsync(Ct);
        }

        await Task.Delay(300, Ct);
        Assert.Equal(0, server.ReceivedEmailCount);
        // A little over a minute passes on the site's clock, then it stands still: only a wait of at most that long can
        // wake the outbox now, however slowly this machine then sends.
        for (var second = 0; second < 65 && server.ReceivedEmailCount == 0; second++)
        {
            site.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Ct);
        }

        Assert.True(await site.EventuallyAsync(async () => await site.WithDbAsync(db =>
            db.OutboxMessages.AnyAsync(m => m.Subject == "Aus einem anderen Prozess" && m.Status == OutboxStatus.Sent, Ct))));
        Assert.Equal(1, server.ReceivedEmailCount);
    }
}
