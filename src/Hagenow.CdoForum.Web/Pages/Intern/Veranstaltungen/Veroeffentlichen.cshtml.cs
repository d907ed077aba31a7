using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>The confirmation step before a draft goes public: GET asks, POST publishes and goes to the editor with a 303.</summary>
public sealed class VeroeffentlichenModel(CdoForumDbContext db, EventEditor editor) : PageModel
{
    [BindProperty]
    public int Version { get; set; }

    public Event Event { get; private set; } = null!;

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

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
        if (found.Published)
        {
            NotPossible = "Diese Veranstaltung ist schon veröffentlicht.";
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

        var outcome = await editor.PublishAsync(found.Id, Version, User.Identity!.Name!, cancellationToken);
        Event = outcome.Event ?? found;
        Version = Event.Sequence;
        switch (outcome.Status)
        {
            case EditStatus.Done:
                return new SeeOtherResult(Url.Page("Bearbeiten", new { slug, erledigt = "veroeffentlicht" })!);
            case EditStatus.NotFound:
                return NotFound();
            case EditStatus.Invalid:
                Errors = outcome.Errors;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            case EditStatus.Conflict:
                NotPossible = "Die Veranstaltung wurde inzwischen geändert. Bitte sehen Sie sich die Vorschau der aktuellen Fassung an und bestätigen Sie dann erneut.";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                NotPossible = "Diese Veranstaltung ist schon veröffentlicht.";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }
}
