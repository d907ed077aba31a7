using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Registrations;

internal sealed class EventHeadcountQuery(CdoForumDbContext db) : IEventHeadcount
{
    public async Task<EventHeadcount> CountAsync(int eventId, CancellationToken cancellationToken)
    {
        var byStatus = await db.Registrations.Where(r => r.EventId == eventId)
            .GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var archived = await db.Events.Where(e => e.Id == eventId)
            .Select(e => e.ArchivedConfirmedCount + e.ArchivedWaitingCount + e.ArchivedCancelledCount).SingleOrDefaultAsync(cancellationToken);
        return new EventHeadcount(
            byStatus.Where(s => s.Key == RegistrationStatus.Confirmed).Sum(s => s.Count),
            byStatus.Sum(s => s.Count) + archived);
    }
}
