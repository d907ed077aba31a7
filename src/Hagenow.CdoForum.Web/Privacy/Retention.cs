using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>
/// Erases the registrations (and their mails) of every event that ended more than <c>Privacy:RetentionDays</c> days
/// ago, keeping only anonymous counts on the event. One transaction and one "system" audit entry per event erased;
/// an ended event without registrations is only marked.
/// </summary>
public sealed class Retention(CdoForumDbContext db, TimeProvider clock, IMailTransport transport, IOptions<PrivacyOptions> options, ILogger<Retention> logger)
{
    public static DateTimeOffset ErasureDueAt(Event ev, int retentionDays) => ev.EndsAt().AddDays(retentionDays);

    /// <summary>Returns how many events had personal data erased.</summary>
    public async Task<int> EraseDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var days = options.Value.RetentionDays;
        var events = await db.Events.AsNoTracking().Select(e => new { e.Id, e.Date, e.EndTime, e.PersonalDataErasedAtUtc }).ToListAsync(cancellationToken);
        var due = events
            .Where(e => BerlinTime.FromLocal(e.Date.ToDateTime(e.EndTime)).AddDays(days) <= now)
            .Select(e => e.Id)
            .ToList();
        var erased = 0;
        foreach (var eventId in due)
        {
            var hasRegistrations = await db.Registrations.AnyAsync(r => r.EventId == eventId, cancellationToken);
            var alreadyMarked = events.Single(e => e.Id == eventId).PersonalDataErasedAtUtc is not null;
            if (!hasRegistrations && alreadyMarked)
            {
                continue;
            }

            if (await EraseEventAsync(eventId, cancellationToken))
            {
                erased++;
            }
        }

        if (erased == 0)
        {
            // Also finishes an earlier erasure whose checkpoint a reader blocked (Erasure: ErasedLogPending).
            await SqliteFiles.CheckpointAsync(db, cancellationToken, options.Value.CheckpointWait);
        }

        return erased;
    }

    /// <summary>False when there was nothing to erase (no registrations, or another run was quicker).</summary>
    private async Task<bool> EraseEventAsync(int eventId, CancellationToken cancellationToken)
    {
        int count;
        List<string?> messageIds;
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            var counts = await new AttendeeList(db).CountAsync(eventId, cancellationToken);
            var ev = await db.Events.SingleAsync(e => e.Id == eventId, cancellationToken);
            if (counts.Total == 0)
            {
                // Nothing personal to erase: mark the event as done, without an audit entry for an empty run.
                if (ev.PersonalDataErasedAtUtc is null)
                {
                    ev.PersonalDataErasedAtUtc = clock.GetUtcNow().UtcDateTime;
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                return false;
            }

            ev.ArchivedConfirmedCount += counts.Confirmed;
            ev.ArchivedWaitingCount += counts.Waiting;
            ev.ArchivedCancelledCount += counts.Cancelled;
            ev.ArchivedAttendedCount += counts.Attended;
            ev.PersonalDataErasedAtUtc = clock.GetUtcNow().UtcDateTime;
            var mailsOfEvent = db.OutboxMessages.Where(m => db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId));
            messageIds = await mailsOfEvent.Select(m => m.MessageId).ToListAsync(cancellationToken);
            await mailsOfEvent.ExecuteDeleteAsync(cancellationToken);
            count = await db.Registrations.Where(r => r.EventId == eventId).ExecuteDeleteAsync(cancellationToken);
            AuditLog.Record(db, clock, AuditLog.SystemActor, AuditAction.RetentionErased, eventId,
                details: $"{count} Anmeldungen gelöscht (bestätigt {counts.Confirmed}, Warteliste {counts.Waiting}, storniert {counts.Cancelled}, teilgenommen {counts.Attended})");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var files = Erasure.DeleteMailFiles(transport, messageIds);
        PrivacyLog.RetentionErased(logger, count, eventId, files);
        if (!await SqliteFiles.CheckpointAsync(db, cancellationToken, options.Value.CheckpointWait))
        {
            PrivacyLog.RetentionCheckpointBusy(logger, eventId);
        }

        return true;
    }
}

/// <summary>Runs <see cref="Retention"/> shortly after start and then every hour, on the site's clock.</summary>
public sealed class RetentionService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Created first, so the hourly ticks count from the start and none is missed while the first run works.
            using var timer = new PeriodicTimer(Interval, clock);
            await Task.Delay(FirstRunAfter, clock, stoppingToken);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Retention>().EraseDueAsync(stoppingToken);
        }
#pragma warning disable CA1031 // A failed run (e.g. database busy) must not stop the hourly job; the next run retries.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            PrivacyLog.RetentionFailed(logger, ex);
        }
    }
}
