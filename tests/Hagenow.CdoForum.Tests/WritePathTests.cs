using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Hagenow.CdoForum.Tests;

/// <summary>The one way to write: the lock is taken at the start, given back on every path, and the outbox tells defects from a down server.</summary>
public sealed class WritePathTests(WritePathTests.Site site) : IClassFixture<WritePathTests.Site>
{
    public sealed class Site : SharedSite;

    private static readonly SignUpDetails Erika = new(new ParticipantDetails("Erika", "Musterfrau", "Stadt Hagenow", null), "erika@hagenow.de", null, null);

    [Fact]
    public async Task A_write_holds_the_database_write_lock_from_its_start()
    {
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        await using (await db.BeginWriteAsync(TestContext.Current.CancellationToken))
        {
            // Nothing read or written yet: with BEGIN IMMEDIATE another writer is already refused.
            var error = Assert.Throws<SqliteException>(() => TryWriteFromAnotherConnection(site));
            Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
        }

        TryWriteFromAnotherConnection(site);
    }

    [Fact]
    public async Task A_sign_up_that_ends_without_a_commit_gives_the_lock_back_and_the_same_scope_can_write_again()
    {
        var ev = await site.ImportAsync(TestEvents.Future(slug: "schreibweg-duplikat", date: "2027-06-02"));
        await using var scope = site.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var ct = TestContext.Current.CancellationToken;

        var first = await service.SignUpAsync(ev.Slug, Erika, ct);
        Assert.Equal(SignUpOutcome.Confirmed, first.Outcome);
        // Inside the link-mail throttle: a duplicate that stores nothing and returns without committing.
        Assert.Equal(SignUpOutcome.Duplicate, (await service.SignUpAsync(ev.Slug, Erika, ct)).Outcome);

        // The write lock is free at once for another process, not held until the request ends ...
        TryWriteFromAnotherConnection(site);

        // ... and the same scope (one request) can begin its next write: before, this was a nested transaction.
        var registrationId = await site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).Select(r => r.Id).SingleAsync(ct));
        Assert.True(await service.CancelAsync(registrationId, staffActor: null, ct));
        Assert.Equal(RegistrationStatus.Cancelled, await site.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.Status).SingleAsync(ct)));
    }

    [Fact]
    public async Task A_closed_sign_up_and_a_refused_cancel_release_the_write_turn_for_the_next_writer()
    {
        var ev = await site.ImportAsync(TestEvents.Future(slug: "schreibweg-abgelehnt", date: "2027-06-09"));
        await using var scope = site.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var ct = TestContext.Current.CancellationToken;

        Assert.False(await service.CancelAsync(int.MaxValue, staffActor: null, ct));
        Assert.False(await service.PromoteAsync(int.MaxValue, "staff@kts.example", ct));

        // The process-wide write turn: a writer that did not give it back would make this wait forever.
        var next = service.SignUpAsync(ev.Slug, Erika with { Email = "turn@hagenow.de" }, ct);
        Assert.Same(next, await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(30), ct)));
        Assert.Equal(SignUpOutcome.Confirmed, (await next).Outcome);
    }

    [Fact]
    public async Task The_outbox_marks_a_defect_failed_at_once_and_retries_only_a_transport_failure()
    {
        // A site of its own: the scripted transport would answer every pending row of the shared one.
        using var plain = new SiteFactory().WithoutBackgroundJobs();
        using var faulty = plain.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IMailTransport>(new ScriptedTransport())));
        var ct = TestContext.Current.CancellationToken;
        await using var scope = faulty.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var ev = await db.Events.AsNoTracking().SingleAsync(ct);
        var mails = scope.ServiceProvider.GetRequiredService<RegistrationMails>();
        var registration = TestRegistrations.New(ev.Id, plain.Clock.GetUtcNow(), email: "defekt@hagenow.de");
        registration.Mails.Add(mails.Create(MailKind.Confirmation, registration, ev));
        registration.Mails.Add(mails.Create(MailKind.Reminder, registration, ev));
        db.Registrations.Add(registration);
        await db.SaveChangesAsync(ct);

        await faulty.Services.GetRequiredService<MailOutbox>().SendDueAsync(ct);

        await using var check = faulty.Services.CreateAsyncScope();
        var rows = await check.ServiceProvider.GetRequiredService<CdoForumDbContext>().OutboxMessages.AsNoTracking()
            .ToDictionaryAsync(m => m.Kind, ct);
        Assert.Equal(OutboxStatus.Failed, rows[MailKind.Confirmation].Status);
        Assert.StartsWith("Interner Fehler beim Versand (InvalidOperationException)", rows[MailKind.Confirmation].LastError, StringComparison.Ordinal);
        // The defect did not stop the batch: the next row was tried, and a server that is down means "later".
        Assert.Equal(OutboxStatus.Pending, rows[MailKind.Reminder].Status);
        Assert.Equal(1, rows[MailKind.Reminder].Attempts);
        Assert.Equal(plain.Clock.GetUtcNow().UtcDateTime + MailOutbox.RetryDelay(1), rows[MailKind.Reminder].NextAttemptAtUtc);
    }

    private static void TryWriteFromAnotherConnection(SiteFactory site)
    {
        // Default Timeout: Microsoft.Data.Sqlite retries a busy database for this many seconds before it gives up.
        using var connection = new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False;Default Timeout=1");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE; COMMIT;";
        command.ExecuteNonQuery();
    }

    /// <summary>A programming error for the confirmation, a transport failure for every other mail.</summary>
    private sealed class ScriptedTransport : IMailTransport, IMailBatch
    {
        public string Description => "scripted";

        public IMailBatch BeginBatch() => this;

        public Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken) =>
            MimeMessage.Load(new MemoryStream(mime), cancellationToken).Subject!.StartsWith("Anmeldebestätigung", StringComparison.Ordinal)
                ? throw new InvalidOperationException("a bug")
                : throw new MailTransportException("Connection refused", new IOException("Connection refused"));

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
