using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Pages.Shared;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Veranstaltungen;

[OutputCache(PolicyName = EventPageCachePolicy.Name)]
public sealed class VeranstaltungModel(CdoForumDbContext db, RegistrationService registrations, TimeProvider clock) : PageModel
{
    public EventPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().Public().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        View = await EventPageView.CreateAsync(found, registrations, clock.GetUtcNow(), null, cancellationToken);
        return Page();
    }
}
