using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>
/// Erases a person for good (GDPR Art. 17): the registration row and every mail to them. The audit entry keeps only
/// the ids and the action. Every connection runs with secure_delete, which overwrites the freed bytes, and the
/// checkpoint moves them out of the write-ahead log, so the data is gone from the files, not only from the tables.
/// </summary>
public sealed class Erasure(CdoForumDbContext db, TimeProvider clock, ILogger<Erasure> logger)
{
    /// <summary>False when there is no such registration.</summary>
    public async Task<bool> EraseAsync(int registrationId, string staffActor, CancellationToken cancellationToken)
    {
        await using (var write = await db.BeginWriteAsync(cancellationToken))
        {
            var eventId = await db.Registrations.Where(r => r.Id == registrationId).Select(r => (int?)r.EventId).SingleOrDefaultAsync(cancellationToken);
            if (eventId is null)
            {
                return false;
            }

            await db.OutboxMessages.Where(m => m.RegistrationId == registrationId).ExecuteDeleteAsync(cancellationToken);
            await db.Registrations.Where(r => r.Id == registrationId).ExecuteDeleteAsync(cancellationToken);
            AuditLog.Record(db, clock, staffActor, AuditAction.RegistrationErased, eventId, registrationId);
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        await SqliteFiles.CheckpointAsync(db, cancellationToken);
        PrivacyLog.RegistrationErased(logger, registrationId);
        return true;
    }
}
