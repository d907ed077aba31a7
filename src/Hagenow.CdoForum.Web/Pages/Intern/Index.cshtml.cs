using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Privacy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Pages.Intern;

public sealed class IndexModel(CdoForumDbContext db, AttendeeList attendees, TimeProvider clock, IOptions<PrivacyOptions> privacy) : PageModel
{
    public sealed record EventSummary(Event Event, AttendeeCounts Counts, bool HasEnded, DateTimeOffset ErasureDueAt);

    public IReadOnlyList<EventSummary> Events { get; private set; } = [];

    public int RetentionDays => privacy.Value.RetentionDays;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var events = await db.Events.AsNoTracking().ToListAsync(cancellationToken);
        var counts = await attendees.CountAllAsync(cancellationToken);
        Events =
        [
            .. events
                .OrderByDescending(e => e.StartsAt())
                .Select(e => new EventSummary(
                    e,
                    counts.GetValueOrDefault(e.Id, AttendeeCounts.None)
                        .Plus(new AttendeeCounts(e.ArchivedConfirmedCount, e.ArchivedWaitingCount, e.ArchivedCancelledCount, e.ArchivedAttendedCount)),
                    e.HasEnded(now),
                    Retention.ErasureDueAt(e, RetentionDays))),
        ];
    }
}
