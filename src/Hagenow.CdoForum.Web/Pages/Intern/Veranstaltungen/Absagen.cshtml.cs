using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>"Veranstaltung absagen": the reason, then a confirmation step that names how many people are told.</summary>
public sealed class AbsagenModel(CdoForumDbContext db, EventChangeNotices notices, TimeProvider clock) : PageModel
{
    public Event Event { get; private set; } = null!;

    public int Affected { get; private set; }

    /// <summary>True on the confirmation step.</summary>
    public bool Confirming { get; private set; }

    public string? ReasonError { get; private set; }

    public string? NotPossible { get; private set; }

    [BindProperty(Name = "Grund")]
    public string? Reason { get; set; }

    public string ListUrl => Url.PagePath("/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug });

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken) =>
        await LoadAsync(slug, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPruefenAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        ReasonError = EventChangeNotices.ReasonError(Reason?.Trim());
        Confirming = ReasonError is null && NotPossible is null;
        return Page();
    }

    public async Task<IActionResult> OnPostAbsagenAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        var result = await notices.CancelEventAsync(slug, Reason, User.Identity!.Name!, cancellationToken);
        switch (result.Outcome)
        {
            case EventCancelOutcome.Cancelled:
                return SeeOtherResult.ToPage(Url, "/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug, erledigt = "absage" });
            case EventCancelOutcome.NotFound:
                return NotFound();
            case EventCancelOutcome.InvalidReason:
                ReasonError = result.Error;
                return Page();
            default:
                NotPossible = result.Outcome == EventCancelOutcome.AlreadyCancelled
                    ? "Die Veranstaltung ist bereits abgesagt."
                    : "Die Veranstaltung hat bereits stattgefunden und kann nicht mehr abgesagt werden.";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (ev is null)
        {
            return false;
        }

        Event = ev;
        Affected = await notices.CountAffectedAsync(ev.Id, cancellationToken);
        NotPossible = ev.IsCancelled ? "Die Veranstaltung ist bereits abgesagt."
            : ev.HasEnded(clock.GetUtcNow()) ? "Die Veranstaltung hat bereits stattgefunden und kann nicht mehr abgesagt werden."
            : null;
        return true;
    }
}
