using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

[Trait("Engines", "Both")]
public sealed class MailOutboxTests
{
    private static Task<Event> SeedEventAsync(SiteFactory site) =>
        site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));

    private static async Task<OutboxMessage> RowAsync(SiteFactory site) => Assert.Single(await site.OutboxAsync());

    [Fact]
    public async Task Mail_written_while_SMTP_is_down_waits_and_is_delivered_once_when_the_server_is_back()
    {
        var port = Smtp.FreePort();
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(port);
        var ev = await SeedEventAsync(site);

        await site.AddRegistrationAsync(ev, mail: MailKind.Confirmation);

        Assert.True(await site.EventuallyAsync(async () => (await RowAsync(site)).Attempts >= 1));
        var waiting = await RowAsync(site);
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        // Still to be composed and sent: nothing of it is lost while the server is down.
        Assert.True(waiting.ComposeWhenSent);
        Assert.False(string.IsNullOrEmpty(waiting.LastError));
        // The first retry comes after seconds, not minutes.
        Assert.Equal(SiteFactory.BeforeSeedEvent.UtcDateTime.AddSeconds(10), waiting.NextAttemptAtUtc);

        // The site keeps serving meanwhile.
        var (status, _) = await site.CreateClient().GetTextAsync("/veranstaltungen/cdo-forum-2026-03-11");
        Assert.Equal(HttpStatusCode.OK, status);

        using var server = Smtp.Start(port);
        Assert.True(await site.EventuallyAsync(async () => (await RowAsync(site)).Status == OutboxStatus.Sent, TimeSpan.FromSeconds(5)));
        // More time passes: nothing is sent again.
        site.Clock.Advance(TimeSpan.FromHours(1));
        await site.Services.GetRequiredService<MailOutbox>().SendDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, server.ReceivedEmailCount);
        var sent = await RowAsync(site);
        Assert.Null(sent.Mime);
        Assert.Null(sent.LastError);
        Assert.NotNull(sent.SentAtUtc);
    }

    [Fact]
    public async Task Pending_mail_survives_a_restart_of_the_site_and_is_delivered_once()
    {
        var port = Smtp.FreePort();
        var folder = Directory.CreateTempSubdirectory("cdoforum-test-").FullName;
        try
        {
            using (var before = new SiteFactory(folder, SiteFactory.BeforeSeedEvent).WithSmtp(port))
            {
                await before.AddRegistrationAsync(await SeedEventAsync(before), mail: MailKind.Confirmation);
                Assert.True(await before.EventuallyAsync(async () => (await RowAsync(before)).Attempts >= 1));
                Assert.Equal(OutboxStatus.Pending, (await RowAsync(before)).Status);
            }

            using var server = Smtp.Start(port);
            using var after = new SiteFactory(folder, SiteFactory.BeforeSeedEvent.AddMinutes(5)).WithSmtp(port);
            Assert.True(await after.EventuallyAsync(async () => (await RowAsync(after)).Status == OutboxStatus.Sent, TimeSpan.FromSeconds(10)));
            after.Clock.Advance(TimeSpan.FromHours(1));
            await after.Services.GetRequiredService<MailOutbox>().SendDueAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, server.ReceivedEmailCount);
            Assert.Equal("Anmeldebestätigung: CDO-Forum am 11. März 2026", Mails.Parse(server.ReceivedEmail[0].Data).Subject);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Permanent_rejection_ends_failed_at_once_with_the_servers_answer()
    {
        using var server = new RejectingSmtpServer();
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(server.Port).WithoutBackgroundJobs();

        await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);
        await site.SendDueMailAsync();

        var row = await RowAsync(site);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("550", row.LastError, StringComparison.Ordinal);
        Assert.Contains(RejectingSmtpServer.Answer, row.LastError, StringComparison.Ordinal);
        // Kept for a re-send by staff: the row can still be composed.
        Assert.True(row.ComposeWhenSent);
        Assert.Equal(1, server.Rejected);
        // A failed row is not tried again by later rounds.
        site.Clock.Advance(TimeSpan.FromHours(1));
        await site.SendDueMailAsync();
        Assert.Equal(1, server.Rejected);
    }

    [Fact]
    public async Task A_batch_goes_over_one_SMTP_connection_and_a_rejected_recipient_in_it_spoils_no_other_mail()
    {
        using var server = new RejectingSmtpServer(rcpt => rcpt.Contains("abgelehnt", StringComparison.Ordinal));
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(server.Port).WithoutBackgroundJobs();
        var ev = await SeedEventAsync(site);
        foreach (var name in new[] { "eins", "zwei", "drei", "vier" })
        {
            await site.AddRegistrationAsync(ev, email: $"{name}@hagenow.de", mail: MailKind.Confirmation);
        }

        await site.SendDueMailAsync();

        Assert.Equal(1, server.Connections);
        Assert.Equal(4, server.Delivered.Count);
        Assert.All(await site.OutboxAsync(), row => Assert.Equal(OutboxStatus.Sent, row.Status));

        foreach (var name in new[] { "fuenf", "abgelehnt", "sieben" })
        {
            await site.AddRegistrationAsync(ev, email: $"{name}@hagenow.de", mail: MailKind.Confirmation);
        }

        await site.SendDueMailAsync();

        // The rejection closes that connection; the next mail of the batch opens a fresh one.
        Assert.Equal(3, server.Connections);
        Assert.Equal(6, server.Delivered.Count);
        Assert.Contains(server.Delivered, rcpt => rcpt.Contains("sieben@hagenow.de", StringComparison.Ordinal));
        var rows = await site.OutboxAsync();
        var rejected = Assert.Single(rows, row => row.Status != OutboxStatus.Sent);
        Assert.Equal(OutboxStatus.Failed, rejected.Status);
        Assert.Contains("550", rejected.LastError, StringComparison.Ordinal);
        Assert.Equal(6, rows.Count(row => row is { Status: OutboxStatus.Sent, Mime: null }));
    }

    [Fact]
    public async Task Mails_of_a_batch_that_cannot_be_completed_wait_for_the_next_round()
    {
        using var plain = new SiteFactory(SiteFactory.BeforeSeedEvent).WithoutBackgroundJobs();
        using var failing = plain.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IMailTransport>(new DiskFullAtTheEnd())));
        await plain.AddRegistrationAsync(await SeedEventAsync(plain), mail: MailKind.Confirmation);

        await failing.Services.GetRequiredService<MailOutbox>().SendDueAsync(TestContext.Current.CancellationToken);

        var row = await RowAsync(plain);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Null(row.SentAtUtc);
        Assert.True(row.ComposeWhenSent);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(DiskFullAtTheEnd.Error, row.LastError);
        Assert.Equal(SiteFactory.BeforeSeedEvent.UtcDateTime + MailOutbox.RetryDelay(1), row.NextAttemptAtUtc);
    }

    /// <summary>Takes every message, then cannot make them durable.</summary>
    private sealed class DiskFullAtTheEnd : IMailTransport, IMailBatch
    {
        public const string Error = "Auf dem Gerät ist kein Speicherplatz mehr verfügbar";

        public string Description => "full disk";

        public IMailBatch BeginBatch() => this;

        public Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CompleteAsync(CancellationToken cancellationToken) => throw new MailTransportException(Error, new IOException(Error));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_pickup_folder_shows_a_batch_only_once_it_is_complete_and_a_batch_that_does_not_complete_leaves_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-pickup-").FullName;
        try
        {
            var transport = new PickupDirectoryTransport(folder);
            var ct = TestContext.Current.CancellationToken;
            var mime = System.Text.Encoding.ASCII.GetBytes("Subject: Test\r\n\r\nHallo\r\n");
            await using (var batch = transport.BeginBatch())
            {
                await batch.SendAsync("a1@test", mime, ct);
                await batch.SendAsync("a2@test", mime, ct);
                Assert.Empty(Directory.GetFiles(folder, "*.eml"));

                await batch.CompleteAsync(ct);
            }

            Assert.Equal(["a1_test.eml", "a2_test.eml"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(mime, await File.ReadAllBytesAsync(Path.Combine(folder, "a1_test.eml"), ct));

            await using (var abandoned = transport.BeginBatch())
            {
                await abandoned.SendAsync("b1@test", mime, ct);
            }

            Assert.Equal(2, Directory.GetFiles(folder).Length);

            await using (var broken = transport.BeginBatch())
            {
                await broken.SendAsync("c1@test", mime, ct);
                foreach (var temporary in Directory.GetFiles(folder, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }))
                {
                    File.Delete(temporary);
                }

                var failure = await Assert.ThrowsAsync<MailTransportException>(() => broken.CompleteAsync(ct));
                Assert.Contains("c1_test.eml", failure.Message, StringComparison.Ordinal);
            }

            Assert.Equal(2, Directory.GetFiles(folder, "*", new EnumerationOptions { AttributesToSkip = 0 }).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_damaged_stored_message_ends_failed_and_nothing_reaches_the_SMTP_server()
    {
        var port = Smtp.FreePort();
        using var server = Smtp.Start(port);
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(port).WithoutBackgroundJobs();
        await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);
        // The transport gets the stored bytes; SMTP parses them first, and these are no message.
        await site.WithDbAsync(db => db.OutboxMessages.ExecuteUpdateAsync(u => u.SetProperty(m => m.Mime, Array.Empty<byte>()).SetProperty(m => m.ComposeWhenSent, false), TestContext.Current.CancellationToken));

        await site.SendDueMailAsync();

        var row = await RowAsync(site);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.StartsWith("Die gespeicherte Nachricht ist beschädigt", row.LastError, StringComparison.Ordinal);
        Assert.Empty(server.ReceivedEmail);
    }

    [Fact]
    public async Task Staff_can_queue_a_failed_mail_again()
    {
        using var server = new RejectingSmtpServer();
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(server.Port).WithoutBackgroundJobs();
        await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);
        await site.SendDueMailAsync();
        Assert.Equal(OutboxStatus.Failed, (await RowAsync(site)).Status);
        var id = (await RowAsync(site)).Id;

        await using (var scope = site.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<OutboxAdmin>();
            Assert.False(await admin.RetryAsync(id + 1, TestContext.Current.CancellationToken));
            Assert.True(await admin.RetryAsync(id, TestContext.Current.CancellationToken));
        }

        // Due at once (no clock advance), and (the server still refusing) failed again.
        Assert.Equal(OutboxStatus.Pending, (await RowAsync(site)).Status);
        await site.SendDueMailAsync();
        Assert.Equal(2, server.Rejected);
        Assert.Equal(OutboxStatus.Failed, (await RowAsync(site)).Status);
        Assert.Equal(1, (await RowAsync(site)).Attempts);
    }

    [Fact]
    public async Task Retries_back_off_and_give_up_after_24_hours_with_the_last_error()
    {
        var port = Smtp.FreePort();
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(port).WithoutBackgroundJobs();
        await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);
        var start = SiteFactory.BeforeSeedEvent.UtcDateTime;

        await site.SendDueMailAsync();
        Assert.Equal(1, (await RowAsync(site)).Attempts);
        Assert.Equal(start.AddSeconds(10), (await RowAsync(site)).NextAttemptAtUtc);

        // Before the retry is due a round sends nothing.
        site.Clock.Advance(TimeSpan.FromSeconds(9));
        await site.SendDueMailAsync();
        Assert.Equal(1, (await RowAsync(site)).Attempts);

        site.Clock.Advance(TimeSpan.FromSeconds(1));
        await site.SendDueMailAsync();
        Assert.Equal(2, (await RowAsync(site)).Attempts);
        Assert.Equal(start.AddSeconds(10 + 30), (await RowAsync(site)).NextAttemptAtUtc);

        // Each round at the moment the row is due: one attempt each, the wait growing to its 30-minute cap.
        var row = await RowAsync(site);
        while (row.Status == OutboxStatus.Pending)
        {
            var now = site.Clock.GetUtcNow().UtcDateTime;
            Assert.Equal(now + MailOutbox.RetryDelay(row.Attempts), row.NextAttemptAtUtc);
            site.Clock.Advance(row.NextAttemptAtUtc - now);
            var attemptsBefore = row.Attempts;
            await site.SendDueMailAsync();
            row = await RowAsync(site);
            Assert.Equal(attemptsBefore + 1, row.Attempts);
        }

        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.True(site.Clock.GetUtcNow().UtcDateTime - start >= MailOutbox.GiveUpAfter);
        Assert.StartsWith("Nach ", row.LastError, StringComparison.Ordinal);
        Assert.Contains("Letzte Antwort:", row.LastError, StringComparison.Ordinal);
        // 10 s, 30 s, 1, 2, 5, 10 min (18 min 40 s after the first try), then every 30 min: the first attempt at or past
        // 24 h is number 7 + ceil((24 h - 18 min 40 s) / 30 min) = 7 + 48 = 55. Capped back-off: not thousands.
        Assert.Equal(55, row.Attempts);
        Assert.InRange(row.Attempts, MailOutbox.MinimumAttempts, 60);
    }

    [Fact]
    public async Task Without_SMTP_mails_are_written_as_eml_files_to_the_pickup_folder()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);

        var message = Assert.Single(await site.PickedUpAsync(1));

        Assert.Equal("Anmeldebestätigung: CDO-Forum am 11. März 2026", message.Subject);
        Assert.Empty(Directory.GetFiles(site.MailFolder, "*.tmp"));
        var file = Assert.Single(Directory.GetFiles(site.MailFolder, "*.eml"));
        Assert.Contains("\r\n", File.ReadAllText(file), StringComparison.Ordinal);
        // Named after the Message-ID: sent twice after a crash, it overwrites itself instead of appearing twice.
        Assert.StartsWith(message.MessageId!.Split('@')[0], Path.GetFileName(file), StringComparison.Ordinal);
        Assert.True(await site.EventuallyAsync(async () => (await RowAsync(site)).Status == OutboxStatus.Sent));
        Assert.Null((await RowAsync(site)).Mime);
    }

    [Fact]
    public async Task A_mail_about_a_registration_is_stored_without_a_body_and_composed_when_sent_with_its_own_Message_ID_and_date()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithoutBackgroundJobs();
        var registration = await site.AddRegistrationAsync(await SeedEventAsync(site), mail: MailKind.Confirmation);
        var written = await RowAsync(site);
        // The database holds no message, so no copy of the person's link either.
        Assert.Null(written.Mime);
        Assert.True(written.ComposeWhenSent);
        Assert.NotNull(written.MessageId);

        site.Clock.Advance(TimeSpan.FromMinutes(5));
        await site.SendDueMailAsync();

        var message = Assert.Single(await site.PickedUpAsync(1));
        Assert.Equal(written.MessageId, message.MessageId);
        // Dated when the registration wrote it, not when the outbox got to it: sent again after a crash, it is the same message.
        Assert.Equal(SiteFactory.BeforeSeedEvent, message.Date);
        Assert.Equal("erika.musterfrau@hagenow.de", message.To.Mailboxes.Single().Address);
        Assert.Contains("Guten Tag Erika Musterfrau,", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/anmeldung/{await site.TokenForAsync(registration)}", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("REQUEST", message.Invite().Method);
        var sent = await RowAsync(site);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Null(sent.Mime);
    }

    [Fact]
    public async Task A_mail_composed_when_sent_shows_the_event_as_it_is_then()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithoutBackgroundJobs();
        var ev = await SeedEventAsync(site);
        await site.AddRegistrationAsync(ev, mail: MailKind.Confirmation);
        await site.WithDbAsync(db => db.Events.Where(e => e.Id == ev.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.Title, "Ein neuer Titel"), TestContext.Current.CancellationToken));

        await site.SendDueMailAsync();

        var message = Assert.Single(await site.PickedUpAsync(1));
        Assert.Contains("Ein neuer Titel", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("CDO-Forum: Ein neuer Titel", message.Invite().Events.Single().Summary);
    }

    [Fact]
    public async Task A_mail_that_can_no_longer_be_composed_ends_failed_with_a_German_reason_and_the_others_go_out()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithoutBackgroundJobs();
        var ev = await SeedEventAsync(site);
        await using (var scope = site.Services.CreateAsyncScope())
        {
            // A row without its registration (written by hand, or a defect): nothing to compose it from.
            var db = scope.ServiceProvider.GetRequiredService<Hagenow.CdoForum.Web.Data.CdoForumDbContext>();
            db.OutboxMessages.Add(scope.ServiceProvider.GetRequiredService<ParticipantMail>().Later(MailKind.Confirmation, "niemand@hagenow.de", ev));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await site.AddRegistrationAsync(ev, mail: MailKind.Confirmation);

        await site.SendDueMailAsync();

        var rows = await site.OutboxAsync();
        var orphan = Assert.Single(rows, r => r.Recipient == "niemand@hagenow.de");
        Assert.Equal(OutboxStatus.Failed, orphan.Status);
        Assert.StartsWith("Die Nachricht ließ sich nicht erstellen", orphan.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, Assert.Single(rows, r => r.Recipient == "erika.musterfrau@hagenow.de").Status);
        Assert.Equal("erika.musterfrau@hagenow.de", Assert.Single(await site.PickedUpAsync(1)).To.Mailboxes.Single().Address);
    }
}
