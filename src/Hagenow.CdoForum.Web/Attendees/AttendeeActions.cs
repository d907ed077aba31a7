using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Staff;
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
/// The staff actions this feature owns: attendance and erasure. Each is one transaction together with its audit entry.
/// Cancelling, moving up and re-sending belong to RegistrationService, which writes its own audit entries.
/// </summary>
public sealed class AttendeeActions(CdoForumDbContext db, TimeProvider clock, OutboxAdmin outbox, ILogger<AttendeeActions> logger)
{
    /// <summary>Queues a failed mail again (the mail feature's <see cref="OutboxAdmin"/>) and records who did it, in one transaction.</summary>
    public async Task<ActionOutcome> RetryMailAsync(long outboxId, string staffActor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
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

    /// <summary>Only confirmed people can be marked present; the mark can be taken back.</summary>
    public static bool CanMarkAttended(RegistrationStatus status, DateTime? attendedAtUtc) =>
        status == RegistrationStatus.Confirmed && attendedAtUtc is null;

    public static bool CanUndoAttended(DateTime? attendedAtUtc) => attendedAtUtc is not null;

    private async Task<ActionOutcome> SetAttendanceAsync(int registrationId, bool attended, string staffActor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.Id == registrationId, cancellationToken);
        if (registration is null)
        {
            return ActionOutcome.NotFound;
        }

        var possible = attended
            ? CanMarkAttended(registration.Status, registration.AttendedAtUtc)
            : CanUndoAttended(registration.AttendedAtUtc);
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

    /// <summary>
    /// Erases a person for good (GDPR Art. 17): the registration row and every mail to them. The audit entry keeps
    /// only the ids and the action. SQLite's secure_delete overwrites the freed bytes, and the checkpoint moves them
    /// out of the write-ahead log, so the data is gone from the files too, not only from the tables.
    /// </summary>
    public async Task<ActionOutcome> EraseAsync(int registrationId, string staffActor, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await SecureDelete.EnableAsync(db, cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var eventId = await db.Registrations.Where(r => r.Id == registrationId).Select(r => (int?)r.EventId).SingleOrDefaultAsync(cancellationToken);
                if (eventId is null)
                {
                    return ActionOutcome.NotFound;
                }

                await db.OutboxMessages.Where(m => m.RegistrationId == registrationId).ExecuteDeleteAsync(cancellationToken);
                await db.Registrations.Where(r => r.Id == registrationId).ExecuteDeleteAsync(cancellationToken);
                AuditLog.Record(db, clock, staffActor, AuditAction.RegistrationErased, eventId, registrationId);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            await SecureDelete.CheckpointAsync(db, cancellationToken);
            StaffLog.RegistrationErased(logger, registrationId);
            return ActionOutcome.Done;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>Erasure that reaches the database files, not only the tables.</summary>
internal static class SecureDelete
{
    /// <summary>Per connection: deleted content is overwritten with zeros instead of left in free pages.</summary>
    public static Task EnableAsync(CdoForumDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete=ON;", cancellationToken);

    /// <summary>Copies the committed pages into the database file and empties the write-ahead log, which still holds the old ones.</summary>
    public static Task CheckpointAsync(CdoForumDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
}
