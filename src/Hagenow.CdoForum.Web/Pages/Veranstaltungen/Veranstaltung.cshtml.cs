using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Veranstaltungen;

[OutputCache(PolicyName = EventPageCachePolicy.Name)]
public sealed class VeranstaltungModel(CdoForumDbContext db, RegistrationService registrations, TimeProvider clock) : PageModel
{
    public Event Event { get; private set; } = null!;

    public bool HasEnded { get; private set; }

    public bool IsRegistrationOpen { get; private set; }

    /// <summary>Free places and waiting list; shown only when the event has a capacity and takes sign-ups.</summary>
    public Availability? Availability { get; private set; }

    /// <summary>Every person on the agenda once, in order of first appearance.</summary>
    public IReadOnlyList<Speaker> Speakers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().Public().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow();
        Event = found;
        HasEnded = found.HasEnded(now);
        IsRegistrationOpen = found.IsRegistrationOpen(now);
        if (IsRegistrationOpen && found.Capacity is not null)
        {
            Availability = await registrations.AvailabilityAsync(found, cancellationToken);
        }

        Speakers = [.. found.Agenda.SelectMany(a => a.Speakers).DistinctBy(s => s.Name)];
        return Page();
    }
}
