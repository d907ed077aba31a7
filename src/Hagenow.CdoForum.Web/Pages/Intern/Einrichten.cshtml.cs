using System.ComponentModel.DataAnnotations;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>First login after `staff add` (or after `staff reset-2fa`): set up the authenticator app, then show the recovery codes once.</summary>
[AllowAnonymous]
public sealed class EinrichtenModel(SecondFactor secondFactor) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Bitte geben Sie den sechsstelligen Code ein, den die App jetzt anzeigt.")]
    [StringLength(32, ErrorMessage = "Der Code ist zu lang.")]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string Email { get; private set; } = "";

    public string GroupedKey { get; private set; } = "";

    public string QrSvg { get; private set; } = "";

    /// <summary>Set once the enrolment succeeded: shown on this response only.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public string Continue => StaffReturnUrl.Safe(Url, ReturnUrl);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await secondFactor.PendingUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Intern/Anmelden");
        }

        if (user.TwoFactorEnabled)
        {
            return RedirectToPage("/Intern/ZweiterFaktor");
        }

        await ShowKeyAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await secondFactor.PendingUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Intern/Anmelden");
        }

        if (user.TwoFactorEnabled)
        {
            return RedirectToPage("/Intern/ZweiterFaktor");
        }

        if (ModelState.IsValid)
        {
            var (check, codes) = await secondFactor.EnrolAsync(user, Code!, cancellationToken);
            if (check == CodeCheck.Accepted)
            {
                await secondFactor.CompleteSignInAsync(user, cancellationToken);
                RecoveryCodes = codes;
                return Page();
            }

            ModelState.AddModelError(nameof(Code), check == CodeCheck.LockedOut
                ? ZweiterFaktorModel.LockedOutMessage
                : "Der Code stimmt nicht. Prüfen Sie, ob der Schlüssel richtig übernommen wurde, und geben Sie den Code ein, "
                    + "den die App gerade anzeigt. Nach 5 Fehlversuchen ist der Zugang für 15 Minuten gesperrt.");
        }

        await ShowKeyAsync(user, cancellationToken);
        return Page();
    }

    private async Task ShowKeyAsync(Microsoft.AspNetCore.Identity.IdentityUser user, CancellationToken cancellationToken)
    {
        var key = await secondFactor.EnrolmentKeyAsync(user, cancellationToken);
        Email = user.Email!;
        GroupedKey = Totp.Grouped(key);
        QrSvg = AuthenticatorQrCode.Svg(SecondFactor.AuthenticatorUri(user.Email!, key));
    }
}
