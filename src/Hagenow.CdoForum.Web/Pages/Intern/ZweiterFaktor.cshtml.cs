using System.ComponentModel.DataAnnotations;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>Second step of every login: the code from the authenticator app, or a recovery code.</summary>
[AllowAnonymous]
public sealed class ZweiterFaktorModel(SecondFactor secondFactor) : PageModel
{
    public const string WrongCodeMessage =
        "Der Code stimmt nicht oder wurde schon einmal verwendet. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein. "
        + "Nach 5 Fehlversuchen ist der Zugang für 15 Minuten gesperrt.";

    public const string LockedOutMessage =
        "Der Zugang ist nach zu vielen Fehlversuchen für 15 Minuten gesperrt. Bitte versuchen Sie es später noch einmal.";

    [BindProperty]
    [Required(ErrorMessage = "Bitte geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein.")]
    [StringLength(32, ErrorMessage = "Der Code ist zu lang.")]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await secondFactor.PendingUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Intern/Anmelden");
        }

        return user.TwoFactorEnabled ? Page() : RedirectToPage("/Intern/Einrichten");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await secondFactor.PendingUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Intern/Anmelden");
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage("/Intern/Einrichten");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (check, _) = await secondFactor.VerifyAsync(user, Code!, cancellationToken);
        switch (check)
        {
            case CodeCheck.Accepted or CodeCheck.RecoveryCodeAccepted:
                await secondFactor.CompleteSignInAsync(user, cancellationToken);
                return LocalRedirect(StaffReturnUrl.Safe(Url, ReturnUrl));
            case CodeCheck.LockedOut:
                ModelState.AddModelError(nameof(Code), LockedOutMessage);
                return Page();
            default:
                ModelState.AddModelError(nameof(Code), WrongCodeMessage);
                return Page();
        }
    }
}
