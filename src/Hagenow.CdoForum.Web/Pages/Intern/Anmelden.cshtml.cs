using System.ComponentModel.DataAnnotations;
using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hagenow.CdoForum.Web.Pages.Intern;

[EnableRateLimiting(StaffSetup.LoginPolicy)]
public sealed class AnmeldenModel(
    SignInManager<IdentityUser> signIn,
    IPasswordHasher<IdentityUser> hasher,
    SecondFactor secondFactor,
    LoginThrottle throttle,
    ILogger<AnmeldenModel> logger) : PageModel
{
    /// <summary>One message for every failure, so the page never tells whether an account exists, waits or is locked.</summary>
    public const string FailureMessage =
        "Die Anmeldung ist fehlgeschlagen. Entweder passen E-Mail-Adresse und Passwort nicht zusammen, oder nach mehreren "
        + "Fehlversuchen gilt für diese Adresse eine Wartezeit (zuerst 30 Sekunden, bei weiteren Fehlversuchen länger, höchstens "
        + "15 Minuten). Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.";

    // Verified against when no account matches, so both cases take the time of one password check.
    private static readonly string DummyHash = new PasswordHasher<IdentityUser>().HashPassword(new IdentityUser(), "kein-konto-vorhanden");

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool LoggedOut { get; private set; }

    public string? Failure { get; private set; }

    public IActionResult OnGet(bool abgemeldet = false)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl());
        }

        LoggedOut = abgemeldet;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email!.Trim();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        // Every path verifies exactly one password hash, also for an unknown, waiting or locked address, so no failure
        // answers faster than another (a quick answer would tell a stranger that the address is a staff account).
        bool passwordMatches;
        if (user is null)
        {
            hasher.VerifyHashedPassword(new IdentityUser(), DummyHash, Input.Password!);
            passwordMatches = false;
        }
        else
        {
            passwordMatches = await signIn.UserManager.CheckPasswordAsync(user, Input.Password!);
        }

        var mustWait = throttle.MustWait(email);
        var lockedOut = user is not null && await signIn.UserManager.IsLockedOutAsync(user);
        if (user is null || mustWait || lockedOut || !passwordMatches)
        {
            if (!mustWait && !passwordMatches)
            {
                throttle.Failed(email);
            }

            if (user is null)
            {
                StaffLog.LoginFailedUnknown(logger);
            }
            else
            {
                StaffLog.LoginFailed(logger, user.Id, lockedOut, mustWait);
            }

            Failure = FailureMessage;
            return Page();
        }

        throttle.Succeeded(email);
        // The password alone signs in nobody: next comes the code (or the enrolment), which records the login.
        _ = cancellationToken;
        return LocalRedirect(await secondFactor.BeginAsync(user, SafeReturnUrl()));
    }

    /// <summary>Only back into the staff area, never to another site.</summary>
    private string SafeReturnUrl() =>
        ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith(SitePaths.StaffArea, StringComparison.OrdinalIgnoreCase)
        && !url.StartsWith(SitePaths.StaffLogin, StringComparison.OrdinalIgnoreCase)
            ? url
            : SitePaths.StaffArea;

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Bitte geben Sie Ihre E-Mail-Adresse ein.")]
        [StringLength(254, ErrorMessage = "Die E-Mail-Adresse ist zu lang.")]
        public string? Email { get; set; }

        [Required(ErrorMessage = "Bitte geben Sie Ihr Passwort ein.")]
        [StringLength(1024, ErrorMessage = "Das Passwort ist zu lang.")]
        public string? Password { get; set; }
    }
}
