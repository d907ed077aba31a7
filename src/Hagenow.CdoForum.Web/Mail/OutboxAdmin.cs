using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>What staff may do with the outbox.</summary>
public sealed class OutboxAdmin(CdoForumDbContext db, OutboxWakeUp wakeUp, TimeProvider clock)
{
    /// <summary>
    /// Queues a failed mail again (attempts start from zero; the last error stays visible until it is sent).
    /// False when the row does not exist or is not failed.
    /// </summary>
    public async Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == OutboxStatus.Failed && (m.Mime != null || m.ComposeWhenSent))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAtUtc, now), cancellationToken);
        if (changed == 1)
        {
            wakeUp.Changed(db);
        }

        return changed == 1;
    }
}
