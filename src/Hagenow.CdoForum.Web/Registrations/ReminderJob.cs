using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>
/// The day before an event (Berlin date), from <see cref="SendFrom"/> on, queues one reminder for every confirmed
/// participant. <see cref="Registration.ReminderQueuedAtUtc"/> is set in the same transaction as the outbox row, and only
/// where it was still empty, so a reminder is queued once even across restarts or two running copies of the site.
/// </summary>
public sealed partial class ReminderJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ReminderJob> logger) : BackgroundService
{
    /// <summary>Berlin time on the day before: a reminder at breakfast, not at midnight.</summary>
    public static readonly TimeOnly SendFrom = new(8, 0);

    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await QueueDueAsync(stoppingToken);
                await Task.Delay(CheckEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Nothing is half-written (one transaction per participant); the next round picks up the rest.
                LogRoundFailed(ex);
                await Task.Delay(CheckEvery, clock, stoppingToken);
            }
        }
    }

    /// <summary>Queues the reminders due now; returns how many it queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var local = BerlinTime.ToLocal(now);
        if (TimeOnly.FromDateTime(local) < SendFrom)
        {
            return 0;
        }

        var tomorrow = DateOnly.FromDateTime(local).AddDays(1);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var mail = scope.ServiceProvider.GetRequiredService<RegistrationMails>();
        var nowUtc = now.UtcDateTime;
        var queued = 0;

        var events = await db.Events.Where(e => e.Date == tomorrow && e.CancelledAtUtc == null).ToListAsync(cancellationToken);
        foreach (var ev in events)
        {
            var ids = await db.Registrations
                .Where(r => r.EventId == ev.Id && r.Status == RegistrationStatus.Confirmed && r.ReminderQueuedAtUtc == null)
                .OrderBy(r => r.Id)
                .Select(r => r.Id)
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                await using var transaction = await db.BeginWriteAsync(cancellationToken);
                // The guard in the WHERE makes this the one place that decides "not yet reminded".
                var claimed = await db.Registrations
                    .Where(r => r.Id == id && r.Status == RegistrationStatus.Confirmed && r.ReminderQueuedAtUtc == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReminderQueuedAtUtc, nowUtc), cancellationToken);
                if (claimed != 1)
                {
                    continue;
                }

                var registration = await db.Registrations.SingleAsync(r => r.Id == id, cancellationToken);
                db.OutboxMessages.Add(mail.Create(MailKind.Reminder, registration, ev));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                queued++;
            }
        }

        if (queued > 0)
        {
            LogQueued(queued, tomorrow);
        }

        return queued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} reminders for events on {Date}")]
    private partial void LogQueued(int count, DateOnly date);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder round failed; trying again later")]
    private partial void LogRoundFailed(Exception exception);
}
