using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hagenow.CdoForum.Web.Pages.Anmeldung;

/// <summary>A participant's own registration, reached only through the secret link: status, event, corrections, cancel.</summary>
[EnableRateLimiting(RegistrationsSetup.FormPostPolicy)]
[RequestSizeLimit(RegistrationsSetup.MaxFormBytes)]
[RequestFormLimits(ValueLengthLimit = RegistrationsSetup.MaxFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class TeilnahmeModel(RegistrationService registrations, TimeProvider clock) : PageModel
{
    public Registration Registration { get; private set; } = null!;

    public Event Event => Registration.Event;

    public string Token { get; private set; } = "";

    public int? WaitingPosition { get; private set; }

    /// <summary>Corrections and cancellation are possible until the event starts.</summary>
    public bool CanChange { get; private set; }

    /// <summary>Cancelled, and the event still takes sign-ups: the page points to the form.</summary>
    public bool CanSignUpAgain { get; private set; }

    /// <summary>The event is over and the person's attendance is marked: the certificate can be downloaded.</summary>
    public bool CertificateAvailable { get; private set; }

    /// <summary>Confirmed, the event is over, but no attendance is marked: the page says why there is no certificate.</summary>
    public bool CertificateMissing { get; private set; }

    public RegistrationInput Input { get; private set; } = new();

    public Dictionary<string, string> Errors { get; } = [];

    [FromQuery(Name = "gespeichert")]
    public bool Saved { get; set; }

    /// <summary>The action was done, but the per-inbox mail limit held its mail back.</summary>
    [FromQuery(Name = "ohne-mail")]
    public bool MailHeld { get; set; }

    /// <summary>The correction was refused because the registration changed meanwhile (cancelled, or the event began).</summary>
    public bool SaveRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return NotFound();
        }

        Input = new RegistrationInput
        {
            FirstName = Registration.FirstName,
            LastName = Registration.LastName,
            Organisation = Registration.Organisation,
            JobTitle = Registration.JobTitle,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, RegistrationInput input, CancellationToken ct)
    {
        ModelState.Clear();
        if (!await LoadAsync(token, ct))
        {
            return NotFound();
        }

        Input = input;
        var details = RegistrationFields.ValidateParticipant(input, Errors);
        if (details is null)
        {
            return Page();
        }

        if (!CanChange || !await registrations.UpdateDetailsAsync(Registration.Id, details, ct))
        {
            SaveRefused = true;
            return Page();
        }

        return SeeOtherResult.ToPage(Url, "/Anmeldung/Teilnahme", new { token, gespeichert = "true" });
    }

    /// <summary>Where sign-up and cancellation lead: the participant's page, with a note when the mail waits.</summary>
    public static SeeOtherResult SeeOwnPage(IUrlHelper url, string token, bool mailHeld) =>
        SeeOtherResult.ToPage(url, "/Anmeldung/Teilnahme", mailHeld ? new RouteValueDictionary { ["token"] = token, ["ohne-mail"] = "true" } : (object)new { token });

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        var found = await registrations.FindByTokenAsync(token, ct);
        if (found is null)
        {
            return false;
        }

        Registration = found;
        Token = token;
        WaitingPosition = await registrations.WaitingPositionAsync(found, ct);
        var now = clock.GetUtcNow();
        CanChange = found.ParticipantMayChange(now);
        CanSignUpAgain = found.MaySignUpAgain(now);
        CertificateAvailable = Certificates.IsIssuable(found.Status, found.AttendedAtUtc, found.Event, now);
        CertificateMissing = !CertificateAvailable && found.Status == RegistrationStatus.Confirmed && found.Event.HasEnded(now);
        return true;
    }
}
