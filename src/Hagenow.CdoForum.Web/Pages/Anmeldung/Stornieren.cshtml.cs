using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hagenow.CdoForum.Web.Pages.Anmeldung;

/// <summary>The confirmation step before a participant cancels: GET asks, POST (with antiforgery) cancels.</summary>
[EnableRateLimiting(RegistrationsSetup.FormPostPolicy)]
[RequestSizeLimit(RegistrationsSetup.MaxFormBytes)]
[RequestFormLimits(ValueLengthLimit = RegistrationsSetup.MaxFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class StornierenModel(RegistrationService registrations) : PageModel
{
    public Registration Registration { get; private set; } = null!;

    public Event Event => Registration.Event;

    public string Token { get; private set; } = "";

    /// <summary>The cancellation was refused: already cancelled, or the event has started.</summary>
    public bool Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return NotFound();
        }

        if (Registration.Status == RegistrationStatus.Cancelled)
        {
            return SeeOtherResult.ToPage(Url, "/Anmeldung/Teilnahme", new { token });
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return NotFound();
        }

        var result = await registrations.CancelWithMailAsync(Registration.Id, staffActor: null, ct);
        if (!result.Done)
        {
            Refused = Registration.Status != RegistrationStatus.Cancelled;
            return Refused ? Page() : SeeOtherResult.ToPage(Url, "/Anmeldung/Teilnahme", new { token });
        }

        return TeilnahmeModel.SeeOwnPage(Url, token, result.MailHeld);
    }

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        var found = await registrations.FindByTokenAsync(token, ct);
        if (found is null)
        {
            return false;
        }

        Registration = found;
        Token = token;
        return true;
    }
}
