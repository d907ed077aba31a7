using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>A published event back to draft, only while nobody has registered: GET asks, POST does it.</summary>
public sealed class ZurueckziehenModel(CdoForumDbContext db, EventEditor editor) : PageModel
{
    [BindProperty]
    public int Version { get; set; }

    public Event Event { get; private set; } = null!;

    public string? NotPossible { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Event = found;
        Version = found.Sequence;
        if (!await editor.CanUnpublishAsync(found, cancellationToken))
        {
            NotPossible = NotPossibleText(found);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        var outcome = await editor.UnpublishAsync(found.Id, Version, User.Identity!.Name!, cancellationToken);
        Event = outcome.Event ?? found;
        Version = Event.Sequence;
        switch (outcome.Status)
        {
            case EditStatus.Done:
                return new SeeOtherResult(Url.Page("Bearbeiten", new { slug, erledigt = "zurueckgezogen" })!);
            case EditStatus.NotFound:
                return NotFound();
            case EditStatus.Conflict:
                NotPossible = "Die Veranstaltung wurde inzwischen geändert. Bitte prüfen Sie sie und bestätigen Sie dann erneut.";
                break;
            default:
                NotPossible = NotPossibleText(Event);
                break;
        }

        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private static string NotPossibleText(Event ev) => ev.Published
        ? "Zurückziehen ist nicht mehr möglich: Es haben sich schon Personen angemeldet. Ihre Links und Kalendereinträge müssen weiter funktionieren."
        : "Diese Veranstaltung ist ein Entwurf und nicht öffentlich.";
}
