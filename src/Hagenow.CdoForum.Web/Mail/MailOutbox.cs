using Hagenow.CdoForum.Web.Data;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Sends pending outbox rows, oldest first, in small batches. All state lives in the table, so a restart simply
/// carries on. Delivery is at-least-once: a row is marked sent only after the transport accepted it, and the
/// outcomes of a batch are recorded together after it (at most <see cref="BatchSize"/> mails go out twice after a crash).
/// </summary>
public sealed partial class MailOutbox(
    IServiceScopeFactory scopes,
    IMailTransport transport,
    OutboxSignal signal,
    IOptions<MailOptions> options,
    TimeProvider clock,
    ILogger<MailOutbox> logger) : BackgroundService
{
    public const int BatchSize = 20;

    /// <summary>After this long since the row was written, a failing mail is given up and marked failed for staff.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>A row re-queued by staff gets at least this many attempts, however old it is.</summary>
    public const int MinimumAttempts = 3;

    /// <summary>Seconds first (a server restarting), then minutes, capped at half an hour.</summary>
    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
    ];

    /// <summary>Also looks without a signal: rows written by another process (the command line) are found too.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After a wake-up the loop lets the rows of this moment gather before it claims them: in a sign-up rush one round
    /// then takes a full batch instead of one or two mails, and the outbox takes the write turn a few times a second
    /// instead of after every sign-up. Real time, not the site's clock: it paces the machine's work, and a test clock
    /// that stands still must not stop the outbox.
    /// </summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(200);

    // One round at a time: the background loop and a direct call (staff re-send, tests) must never send a row twice.
    private readonly SemaphoreSlim _round = new(1, 1);

    // This process among the instances that share a database: the lease owner on the rows it claims.
    private readonly string _instance = InstanceName();

    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _transportFailures;

    private static string InstanceName()
    {
        var name = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return name.Length <= 100 ? name : name[^100..];
    }

    public static TimeSpan RetryDelay(int attempts) => Backoff[Math.Clamp(attempts - 1, 0, Backoff.Length - 1)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogTransport(transport.Description);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong (the database busy for a moment), the rows are still there next time;
                // a background service that threw would stop the whole site.
                LogRoundFailed(ex);
                wait = PollInterval;
            }

            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await signal.WaitAsync(wait, clock, stoppingToken);
                    await Task.Delay(GatherDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one batch of due rows; returns how long to wait before the next round.</summary>
    public async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            return await SendDueOnceAsync(cancellationToken);
        }
        finally
        {
            _round.Release();
        }
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    private async Task<TimeSpan> SendDueOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _pausedUntil)
        {
            return Min(_pausedUntil - now, PollInterval);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var nowUtc = now.UtcDateTime;
        var due = await ClaimDueAsync(db, nowUtc, cancellationToken);

        try
        {
            if (due.Count > 0)
            {
                await SendBatchAsync(due, await ComposeAsync(scope.ServiceProvider, db, due, cancellationToken), cancellationToken);
            }
        }
        finally
        {
            // One write for the whole batch, so the outbox takes the write turn once per batch, not once per mail;
            // after a crash before it, at most this batch goes out again, with the same Message-IDs. Recorded even
            // while stopping: the mails have gone (or not) whatever the host does next.
            await RecordAsync(db, due);
        }

        if (due.Count == BatchSize && _transportFailures == 0)
        {
            return TimeSpan.Zero;
        }

        // A row another instance holds is due again for this one only when that instance's lease has run out.
        var next = await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Pending)
            .MinAsync(m => (DateTime?)(m.LeaseUntilUtc != null && m.LeaseUntilUtc > m.NextAttemptAtUtc ? m.LeaseUntilUtc : m.NextAttemptAtUtc), cancellationToken);
        var target = next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now + PollInterval;
        if (target < _pausedUntil)
        {
            target = _pausedUntil;
        }

        return Min(Max(target - clock.GetUtcNow(), TimeSpan.Zero), PollInterval);
    }

    /// <summary>
    /// Writes what became of a batch: the sent rows with one statement (they all change the same way), the others
    /// (retry, failed) as tracked. The lease ends with the batch: rows not tried (the transport went down) wait for
    /// their retry time, not the lease.
    /// </summary>
    private async Task RecordAsync(CdoForumDbContext db, List<OutboxMessage> due)
    {
        if (due.Count == 0)
        {
            return;
        }

        var sentIds = new List<long>(due.Count);
        foreach (var row in due)
        {
            if (row.Status == OutboxStatus.Sent)
            {
                sentIds.Add(row.Id);
                db.Entry(row).State = EntityState.Detached;
            }
            else
            {
                row.LeaseOwner = null;
                row.LeaseUntilUtc = null;
            }
        }

        var sentAt = DateTime.SpecifyKind(clock.GetUtcNow().UtcDateTime, DateTimeKind.Unspecified);
        await using var write = await db.BeginWriteAsync(CancellationToken.None);
        if (sentIds.Count > 0)
        {
            // By key only: a condition on the status would let SQLite walk the status index over every pending row of a rush.
            await db.OutboxMessages.Where(m => sentIds.Contains(m.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, OutboxStatus.Sent)
                .SetProperty(m => m.SentAtUtc, sentAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.Mime, (byte[]?)null)
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntilUtc, (DateTime?)null), CancellationToken.None);
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }

        await write.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// Takes up to <see cref="BatchSize"/> due rows for this instance for <see cref="MailOptions.OutboxLeaseSeconds"/>: rows
    /// nobody holds, or whose holder let the lease run out (it died mid-batch). On PostgreSQL one statement with
    /// FOR UPDATE SKIP LOCKED, so instances claiming at the same moment take different rows without waiting for each
    /// other or for the write lock; on SQLite the write path, which is the only writer anyway.
    /// </summary>
    private async Task<List<OutboxMessage>> ClaimDueAsync(CdoForumDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        // Naive timestamps, as the columns are (see PostgreSqlDbContext.ConfigureConventions).
        var now = DateTime.SpecifyKind(nowUtc, DateTimeKind.Unspecified);
        var until = now + TimeSpan.FromSeconds(options.Value.OutboxLeaseSeconds);
        List<long> ids;
        if (db is PostgreSqlDbContext)
        {
            var dueParameter = new NpgsqlParameter("due", NpgsqlDbType.Timestamp) { Value = now };
            var expiredParameter = new NpgsqlParameter("expired", NpgsqlDbType.Timestamp) { Value = now };
            var untilParameter = new NpgsqlParameter("until", NpgsqlDbType.Timestamp) { Value = until };
            ids = await db.Database.SqlQuery<long>($"""
                UPDATE "OutboxMessages" SET "LeaseOwner" = {_instance}, "LeaseUntilUtc" = {untilParameter}
                WHERE "Id" IN (
                    SELECT "Id" FROM "OutboxMessages"
                    WHERE "Status" = 'Pending' AND "NextAttemptAtUtc" <= {dueParameter} AND ("LeaseUntilUtc" IS NULL OR "LeaseUntilUtc" < {expiredParameter})
                    ORDER BY "NextAttemptAtUtc", "Id" LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken);
        }
        else
        {
            // Looked for first without the write turn: most rounds find nothing and must not hold up a sign-up. In the
            // order of the status index, so a backlog of thousands is not sorted for the first twenty.
            ids = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAtUtc <= now && (m.LeaseUntilUtc == null || m.LeaseUntilUtc < now))
                .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id)
                .Take(BatchSize)
                .Select(m => m.Id)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return [];
            }

            // Inside the write nothing else changes these rows, so they are checked again in memory and claimed by key
            // alone: a condition on the status would let SQLite walk the status index over every pending row of a rush.
            await using var write = await db.BeginWriteAsync(cancellationToken);
            var free = (await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id))
                    .Select(m => new { m.Id, m.Status, m.LeaseUntilUtc }).ToListAsync(cancellationToken))
                .Where(m => m.Status == OutboxStatus.Pending && (m.LeaseUntilUtc == null || m.LeaseUntilUtc < now))
                .Select(m => m.Id)
                .ToList();
            await db.OutboxMessages
                .Where(m => free.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, _instance).SetProperty(m => m.LeaseUntilUtc, until), cancellationToken);
            await write.CommitAsync(cancellationToken);
            ids = free;
        }

        var rows = await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        return [.. rows.Where(m => m.LeaseOwner == _instance && m.Status == OutboxStatus.Pending).OrderBy(m => m.Id)];
    }

    /// <summary>The messages of the claimed rows that carry no body (<see cref="OutboxMessage.ComposeWhenSent"/>), by row id.</summary>
    private static async Task<IReadOnlyDictionary<long, byte[]>> ComposeAsync(
        IServiceProvider services, CdoForumDbContext db, List<OutboxMessage> due, CancellationToken cancellationToken)
    {
        var later = due.Where(row => row.ComposeWhenSent && row.Mime is null).ToList();
        if (later.Count == 0)
        {
            return new Dictionary<long, byte[]>();
        }

        return await services.GetRequiredService<IOutboxComposer>().ComposeAsync(db, later, cancellationToken);
    }

    /// <summary>
    /// The claimed rows over one way out (<see cref="IMailTransport.BeginBatch"/>). A row counts as sent only once the
    /// batch is complete; when completing fails, the rows it took go back to waiting like any transport failure.
    /// Completed even while stopping, so what went out is recorded as sent.
    /// </summary>
    private async Task SendBatchAsync(List<OutboxMessage> due, IReadOnlyDictionary<long, byte[]> composed, CancellationToken cancellationToken)
    {
        var handedOn = new List<OutboxMessage>(due.Count);
        await using var batch = transport.BeginBatch();
        try
        {
            foreach (var row in due)
            {
                if (await SendOneAsync(batch, row, row.Mime ?? composed.GetValueOrDefault(row.Id), handedOn, cancellationToken))
                {
                    PauseAfterTransportFailure();
                    break;
                }

                _transportFailures = 0;
            }
        }
        finally
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.Smtp.TimeoutSeconds));
                await batch.CompleteAsync(timeout.Token);
                foreach (var row in handedOn)
                {
                    // The body holds the participant's secret link; subject and recipient stay for staff.
                    row.Mime = null;
                    LogSent(row.Id, row.Kind, row.Attempts);
                }
            }
            catch (Exception ex)
            {
                // Whatever stopped it (a full disk, a defect), the batch did not complete: its rows are not sent.
                if (ex is not MailTransportException)
                {
                    LogRoundFailed(ex);
                }

                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var row in handedOn)
                {
                    row.Status = OutboxStatus.Pending;
                    row.SentAtUtc = null;
                    Retry(row, ex.Message, now);
                }

                PauseAfterTransportFailure();
            }
        }
    }

    /// <summary>The way out is down: the service waits (growing back-off) instead of trying every row.</summary>
    private void PauseAfterTransportFailure() => _pausedUntil = clock.GetUtcNow() + RetryDelay(++_transportFailures);

    /// <summary>Tries one row and records the outcome on it; true when the transport itself is unreachable.</summary>
    private async Task<bool> SendOneAsync(IMailBatch batch, OutboxMessage row, byte[]? mime, List<OutboxMessage> handedOn, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (mime is null)
        {
            Fail(row, row.ComposeWhenSent
                ? "Die Nachricht ließ sich nicht erstellen: Die Anmeldung oder die Veranstaltung gibt es nicht mehr, oder beim Erstellen trat ein Fehler auf (siehe Protokoll der Anwendung)."
                : "Die Nachricht fehlt (bereits gelöscht).");
            return false;
        }

        row.Attempts++;
        try
        {
            await batch.SendAsync(row.MessageId ?? $"outbox-{row.Id}", mime, cancellationToken);
            row.Status = OutboxStatus.Sent;
            row.SentAtUtc = now;
            row.LastError = null;
            handedOn.Add(row);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            row.Attempts--;
            throw;
        }
        catch (FormatException ex)
        {
            Fail(row, $"Die gespeicherte Nachricht ist beschädigt: {ex.Message}");
            return false;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            // A permanent rejection (unknown mailbox, refused sender): retrying will not change the answer.
            Fail(row, Answer(ex));
            return false;
        }
        catch (SmtpCommandException ex)
        {
            // 4xx: this message later (greylisting, mailbox busy); the server itself works.
            Retry(row, Answer(ex), now);
            return false;
        }
        catch (MailTransportException ex)
        {
            // Connection refused, timeout, TLS or login trouble, a full disk: the transport, not this message.
            Retry(row, ex.Message, now);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect, not the mail server: retrying for a day would hide it. The row is marked failed, visible to
            // staff, who can send it again once the cause is fixed; the rest of the batch goes on.
            LogDefect(row.Id, ex);
            Fail(row, $"Interner Fehler beim Versand ({ex.GetType().Name}). Details stehen im Protokoll der Anwendung.");
            return false;
        }
    }

    private void Retry(OutboxMessage row, string error, DateTime now)
    {
        if (now - row.CreatedAtUtc >= GiveUpAfter && row.Attempts >= MinimumAttempts)
        {
            Fail(row, $"Nach {row.Attempts} Versuchen aufgegeben. Letzte Antwort: {error}");
            return;
        }

        row.LastError = Trim(error);
        row.NextAttemptAtUtc = now + RetryDelay(row.Attempts);
        LogRetry(row.Id, row.Attempts, row.NextAttemptAtUtc, row.LastError);
    }

    private void Fail(OutboxMessage row, string error)
    {
        row.Status = OutboxStatus.Failed;
        row.LastError = Trim(error);
        LogFailed(row.Id, row.Kind, row.LastError);
    }

    private static string Answer(SmtpCommandException ex) => $"{(int)ex.StatusCode} {ex.Message}";

    private static string Trim(string error) => error.Length <= 1000 ? error : error[..1000];

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail outbox started; mail goes to {Transport}")]
    private partial void LogTransport(string transport);

    // Debug: one line per mail would flood the journal in a rush; staff see each mail's state on /intern/mails.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox message {Id} ({Kind}) sent on attempt {Attempts}")]
    private partial void LogSent(long id, MailKind kind, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id}: attempt {Attempts} failed, next at {NextAttemptUtc:o}: {Error}")]
    private partial void LogRetry(long id, int attempts, DateTime nextAttemptUtc, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} ({Kind}) failed for good: {Error}")]
    private partial void LogFailed(long id, MailKind kind, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id}: sending failed with a defect, not a transport failure; marked failed")]
    private partial void LogDefect(long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox round failed; trying again shortly")]
    private partial void LogRoundFailed(Exception exception);
}
