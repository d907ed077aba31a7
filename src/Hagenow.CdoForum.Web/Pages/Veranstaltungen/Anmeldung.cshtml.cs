using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Pages.Anmeldung;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Veranstaltungen;

[EnableRateLimiting(RegistrationsSetup.FormPostPolicy)]
[RequestSizeLimit(RegistrationsSetup.MaxFormBytes)]
[RequestFormLimits(ValueLengthLimit = RegistrationsSetup.MaxFormBytes)]
public sealed partial class AnmeldungModel(
    CdoForumDbContext db,
    RegistrationService registrations,
    RecentPublicEvents recentEvents,
    TimeProvider clock,
    ILogger<AnmeldungModel> logger) : PageModel
{
    public Event Event { get; private set; } = null!;

    public bool IsOpen { get; private set; }

    public Availability Availability { get; private set; } = new(null, 0, 0);

    public RegistrationInput Input { get; private set; } = new();

    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>The address already has an active registration: the page says so and that the link was mailed.</summary>
    public bool IsDuplicate { get; private set; }

    /// <summary>The per-inbox limit held the "link again" mail back.</summary>
    public bool MailHeld { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct))
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, RegistrationInput input, CancellationToken ct)
    {
        // Only the fields below are read; model-binding messages (English) are never shown.
        ModelState.Clear();
        // The happy path works from a copy of the event at most a second old (the write checks its version); every
        // page that shows the event again reads it fresh (FreshFormAsync).
        if (!await LoadAsync(slug, ct, withAvailability: false, recent: true))
        {
            return NotFound();
        }

        if (!string.IsNullOrEmpty(input.Homepage))
        {
            // A robot filled the field no person sees: store nothing, and answer like a success without a token.
            LogHoneypot(logger, Event.Id);
            return SeeOtherResult.ToPage(Url, "/Anmeldung/Uebermittelt");
        }

        Input = input;
        if (!IsOpen)
        {
            // The copy may be behind a reopening: the stored event decides.
            if (!await LoadAsync(slug, ct, withAvailability: false))
            {
                return NotFound();
            }

            if (!IsOpen)
            {
                return await FormAsync(ct);
            }
        }

        var details = RegistrationFields.ValidateSignUp(input, Errors);
        if (details is null)
        {
            return await FreshFormAsync(slug, ct);
        }

        var result = await registrations.SignUpAsync(Event, details, ct);
        switch (result.Outcome)
        {
            case SignUpOutcome.Confirmed or SignUpOutcome.Waiting:
                return TeilnahmeModel.SeeOwnPage(Url, result.Token!, result.MailHeld);
            case SignUpOutcome.Duplicate:
                IsDuplicate = true;
                MailHeld = result.MailHeld;
                return await FreshFormAsync(slug, ct);
            case SignUpOutcome.Closed:
                return await FreshFormAsync(slug, ct, closed: true);
            default:
                return NotFound();
        }
    }

    /// <summary>The form again, with the event as stored now (the POST may have started from a copy a second old).</summary>
    private async Task<IActionResult> FreshFormAsync(string slug, CancellationToken ct, bool closed = false)
    {
        if (!await LoadAsync(slug, ct, withAvailability: false))
        {
            return NotFound();
        }

        IsOpen &= !closed;
        return await FormAsync(ct);
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct, bool withAvailability = true, bool recent = false)
    {
        ct.ThrowIfCancellationRequested();
        var found = recent ? await recentEvents.PublicBySlugAsync(db, slug) : await EventQueries.PublicBySlugAsync(db, slug);
        if (found is null)
        {
            return false;
        }

        Event = found;
        IsOpen = found.IsRegistrationOpen(clock.GetUtcNow());
        if (withAvailability)
        {
            Availability = await registrations.AvailabilityAsync(found, ct);
        }

        return true;
    }

    /// <summary>The form again (errors, duplicate, closed); a successful POST redirects and never needs the counts.</summary>
    private async Task<IActionResult> FormAsync(CancellationToken ct)
    {
        Availability = await registrations.AvailabilityAsync(Event, ct);
        return Page();
    }


    [LoggerMessage(LogLevel.Information, "Sign-up for event {EventId} with a filled honeypot field; nothing stored.")]
    private static partial void LogHoneypot(ILogger logger, int eventId);
}
