using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Attendees;

public enum ActionOutcome
{
    Done,
    NotFound,
    NotPossible,
}

/// <summary>
/// The staff actions this feature owns: attendance and re-sending failed mail. Each is one transaction together with its audit entry.
/// Cancelling, moving up and re-sending belong to RegistrationService, which writes its own audit entries.
/// </summary>
public sealed class AttendeeActions(CdoForumDbContext db, TimeProvider clock, OutboxAdmin outbox)
{
    /// <summary>Queues a failed mail again (the mail feature's <see cref="OutboxAdmin"/>) and records who did it, in one transaction.</summary>
    public async Task<ActionOutcome> RetryMailAsync(long outboxId, string staffActor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var mail = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Id == outboxId)
            .Select(m => new { m.RegistrationId, EventId = db.Set<Registration>().Where(r => r.Id == m.RegistrationId).Select(r => (int?)r.EventId).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (mail is null)
        {
            return ActionOutcome.NotFound;
        }

        if (!await outbox.RetryAsync(outboxId, cancellationToken))
        {
            return ActionOutcome.NotPossible;
        }

        AuditLog.Record(db, clock, staffActor, AuditAction.MailRetried, mail.EventId, mail.RegistrationId, $"E-Mail Nr. {outboxId}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ActionOutcome.Done;
    }

    public Task<ActionOutcome> MarkAttendedAsync(int registrationId, string staffActor, CancellationToken cancellationToken) =>
        SetAttendanceAsync(registrationId, attended: true, staffActor, cancellationToken);

    public Task<ActionOutcome> UndoAttendedAsync(int registrationId, string staffActor, CancellationToken cancellationToken) =>
        SetAttendanceAsync(registrationId, attended: false, staffActor, cancellationToken);

    private async Task<ActionOutcome> SetAttendanceAsync(int registrationId, bool attended, string staffActor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.Id == registrationId, cancellationToken);
        if (registration is null)
        {
            return ActionOutcome.NotFound;
        }

        var possible = attended ? registration.CanMarkAttended : registration.CanUndoAttended;
        if (!possible)
        {
            return ActionOutcome.NotPossible;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        registration.AttendedAtUtc = attended ? now : null;
        registration.UpdatedAtUtc = now;
        AuditLog.Record(db, clock, staffActor, attended ? AuditAction.AttendanceMarked : AuditAction.AttendanceUndone, registration.EventId, registration.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ActionOutcome.Done;
    }
}
