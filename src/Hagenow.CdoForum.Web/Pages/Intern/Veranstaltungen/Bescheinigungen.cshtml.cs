using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>"Bescheinigungen senden": GET asks with the count, POST queues one mail per person and goes back with a 303.</summary>
public sealed class BescheinigungenModel(CdoForumDbContext db, Certificates certificates, TimeProvider clock) : PageModel
{
    public Event Event { get; private set; } = null!;

    public int Count { get; private set; }

    public bool HasEnded { get; private set; }

    [BindProperty(SupportsGet = true, Name = "gesendet")]
    public int? Sent { get; set; }

    public string ListUrl => Url.PagePath("/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug });

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        if (Count == 0)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var sent = await certificates.SendAllAsync(Event.Id, User.Identity!.Name!, cancellationToken);
        return SeeOtherResult.ToPage(Url, "/Intern/Veranstaltungen/Bescheinigungen", new { slug, gesendet = sent });
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return false;
        }

        Event = found;
        HasEnded = found.HasEnded(clock.GetUtcNow());
        Count = await certificates.CountIssuableAsync(found, cancellationToken);
        return true;
    }
}
