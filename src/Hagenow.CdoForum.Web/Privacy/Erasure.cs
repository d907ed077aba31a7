using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Privacy;

public enum ErasureOutcome
{
    NotFound,

    /// <summary>The rows, the mail files and every copy in the database files are gone.</summary>
    Erased,

    /// <summary>The rows and mail files are gone, but a reader kept the write-ahead log busy: copies may remain there until the next checkpoint.</summary>
    ErasedLogPending,
}

/// <summary>
/// Erases a person for good (GDPR Art. 17): the registration row, every mail to them and the mails' .eml files in the
/// pickup folder. The audit entry keeps only the ids and the action. Every connection runs with secure_delete, which
/// overwrites the freed bytes, and the checkpoint moves them out of the write-ahead log; only when that checkpoint
/// succeeds is the erasure complete.
/// </summary>
public sealed class Erasure(CdoForumDbContext db, TimeProvider clock, IMailTransport transport, IOptions<PrivacyOptions> options, ILogger<Erasure> logger)
{
    public async Task<ErasureOutcome> EraseAsync(int registrationId, string staffActor, CancellationToken cancellationToken)
    {
        List<string?> messageIds;
        await using (var write = await db.BeginWriteAsync(cancellationToken))
        {
            var eventId = await db.Registrations.Where(r => r.Id == registrationId).Select(r => (int?)r.EventId).SingleOrDefaultAsync(cancellationToken);
            if (eventId is null)
            {
                return ErasureOutcome.NotFound;
            }

            messageIds = await db.OutboxMessages.Where(m => m.RegistrationId == registrationId).Select(m => m.MessageId).ToListAsync(cancellationToken);
            await db.OutboxMessages.Where(m => m.RegistrationId == registrationId).ExecuteDeleteAsync(cancellationToken);
            await db.Registrations.Where(r => r.Id == registrationId).ExecuteDeleteAsync(cancellationToken);
            AuditLog.Record(db, clock, staffActor, AuditAction.RegistrationErased, eventId, registrationId);
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        var files = DeleteMailFiles(transport, messageIds);
        var checkpointed = await SqliteFiles.CheckpointAsync(db, cancellationToken, options.Value.CheckpointWait);
        PrivacyLog.RegistrationErased(logger, registrationId, messageIds.Count, files);
        if (!checkpointed)
        {
            PrivacyLog.CheckpointBusy(logger, registrationId);
            return ErasureOutcome.ErasedLogPending;
        }

        return ErasureOutcome.Erased;
    }

    /// <summary>The .eml files of these messages, when mail goes to the pickup folder; returns how many were there.</summary>
    internal static int DeleteMailFiles(IMailTransport transport, IEnumerable<string?> messageIds) =>
        transport is PickupDirectoryTransport pickup ? pickup.Delete(messageIds) : 0;
}
