using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages;

public sealed class IndexModel(CdoForumDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Event> Upcoming { get; private set; } = [];

    public IReadOnlyList<Event> Past { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var events = await db.Events.AsNoTracking().Public().ToListAsync(cancellationToken);
        Upcoming = [.. events.Where(e => !e.HasEnded(now)).OrderBy(e => e.StartsAt())];
        Past = [.. events.Where(e => e.HasEnded(now)).OrderByDescending(e => e.StartsAt())];
    }
}
