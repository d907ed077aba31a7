using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>The confirmation step of every action: GET asks, POST does it and goes back with a 303.</summary>
public sealed class AktionModel(CdoForumDbContext db, AttendeeActions actions, Erasure erasure, RegistrationService registrations) : PageModel
{
    public StaffAction Action { get; private set; } = null!;

    public Registration Registration { get; private set; } = null!;

    /// <summary>Set when the action does not fit the registration's current state (e.g. someone else was quicker).</summary>
    public string? NotPossible { get; private set; }

    public string PersonUrl => Url.PagePath("/Intern/Veranstaltungen/Anmeldung", new { slug = Registration.Event.Slug, id = Registration.Id });

    public async Task<IActionResult> OnGetAsync(string slug, int id, string aktion, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, id, aktion, cancellationToken))
        {
            return NotFound();
        }

        if (!IsPossible())
        {
            NotPossible = NotPossibleText();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, int id, string aktion, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, id, aktion, cancellationToken))
        {
            return NotFound();
        }

        var actor = User.Identity!.Name!;
        var outcome = Action.Slug switch
        {
            "teilnahme" => await actions.MarkAttendedAsync(id, actor, cancellationToken),
            "teilnahme-zuruecknehmen" => await actions.UndoAttendedAsync(id, actor, cancellationToken),
            "loeschen" => await EraseAsync(id, actor, cancellationToken),
            "stornieren" => Outcome(await registrations.CancelAsync(id, actor, cancellationToken)),
            "nachruecken" => Outcome(await registrations.PromoteAsync(id, actor, cancellationToken)),
            "bestaetigung-erneut-senden" => Outcome(await registrations.ResendConfirmationAsync(id, actor, cancellationToken)),
            _ => ActionOutcome.NotFound,
        };
        switch (outcome)
        {
            case ActionOutcome.NotFound:
                return NotFound();
            case ActionOutcome.NotPossible:
                NotPossible = NotPossibleText();
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }

        return Action == ActionTexts.Erase
            ? SeeOtherResult.ToPage(Url, "/Intern/Veranstaltungen/Teilnehmende", new { slug, erledigt = _erasureIncomplete ? ActionTexts.ErasedLogPendingSlug : Action.Slug })
            : SeeOtherResult.ToPage(Url, "/Intern/Veranstaltungen/Anmeldung", new { slug = Registration.Event.Slug, id = Registration.Id, erledigt = Action.Slug });
    }

    private bool _erasureIncomplete;

    private async Task<ActionOutcome> EraseAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var outcome = await erasure.EraseAsync(id, actor, cancellationToken);
        _erasureIncomplete = outcome == ErasureOutcome.ErasedLogPending;
        return outcome == ErasureOutcome.NotFound ? ActionOutcome.NotFound : ActionOutcome.Done;
    }

    /// <summary>RegistrationService answers false when the registration's state no longer allows the action.</summary>
    private static ActionOutcome Outcome(bool done) => done ? ActionOutcome.Done : ActionOutcome.NotPossible;

    private async Task<bool> LoadAsync(string slug, int id, string aktion, CancellationToken cancellationToken)
    {
        var action = ActionTexts.Find(aktion);
        var registration = await db.Registrations.AsNoTracking().Include(r => r.Event)
            .SingleOrDefaultAsync(r => r.Id == id && r.Event.Slug == slug, cancellationToken);
        if (action is null || registration is null)
        {
            return false;
        }

        Action = action;
        Registration = registration;
        return true;
    }

    private bool IsPossible() => Action.Slug switch
    {
        "teilnahme" => Registration.CanMarkAttended,
        "teilnahme-zuruecknehmen" => Registration.CanUndoAttended,
        "stornieren" or "bestaetigung-erneut-senden" => !Registration.IsCancelled,
        "nachruecken" => Registration.CanBePromoted,
        _ => true,
    };

    private string NotPossibleText() => Action.Slug switch
    {
        "teilnahme" when Registration.AttendedAtUtc is not null => "Die Teilnahme ist bereits vermerkt.",
        "teilnahme" => $"Teilnahme lässt sich nur für bestätigte Anmeldungen vermerken; diese ist „{RegistrationTexts.Status(Registration.Status)}“.",
        "teilnahme-zuruecknehmen" => "Für diese Anmeldung ist keine Teilnahme vermerkt.",
        "stornieren" or "bestaetigung-erneut-senden" when Registration.Status == RegistrationStatus.Cancelled => "Diese Anmeldung ist bereits storniert.",
        "nachruecken" => $"Nur Personen auf der Warteliste können nachrücken; diese Anmeldung ist „{RegistrationTexts.Status(Registration.Status)}“.",
        _ => "Diese Aktion ist für diese Anmeldung nicht möglich.",
    };
}
