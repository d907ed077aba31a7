using System.Globalization;
using System.Security.Claims;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Hagenow.CdoForum.Web.Staff;

public enum CodeCheck
{
    Accepted,
    RecoveryCodeAccepted,
    Wrong,
    LockedOut,
}

/// <summary>
/// The second step of every staff login. The password only earns Identity's short-lived partial cookie
/// (TwoFactorUserIdScheme); the staff cookie, with the claim amr=mfa that the /intern policy demands, is issued only
/// after a valid code. Codes are checked against the site's TimeProvider, each accepted time step is remembered per
/// account (a code works once), and wrong codes count toward Identity's lockout like wrong passwords.
/// </summary>
public sealed class SecondFactor(
    SignInManager<IdentityUser> signIn,
    CdoForumDbContext db,
    AccountMail mail,
    TimeProvider clock)
{
    public const int RecoveryCodeCount = 10;
    public const string MfaClaimType = "amr";
    public const string MfaClaimValue = "mfa";

    /// <summary>When the login was completed (Unix seconds): the start of the session's absolute lifetime.</summary>
    public const string SignedInAtClaimType = "cdoforum:signed_in_at";
    public const string Issuer = "CDO-Forum KTS";

    private const string TokenProvider = "CdoForum";
    private const string LastStepToken = "LastTotpStep";

    private UserManager<IdentityUser> Users => signIn.UserManager;

    /// <summary>After the right password: the partial cookie, and where to go next (code, or first the enrolment).</summary>
    public async Task<string> BeginAsync(IdentityUser user, string returnUrl)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        await signIn.Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
        var page = await Users.GetTwoFactorEnabledAsync(user) ? SitePaths.StaffSecondFactor : SitePaths.StaffSetUpSecondFactor;
        return returnUrl == SitePaths.StaffArea ? page : $"{page}?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
    }

    /// <summary>The account that gave the right password in the last minutes, or null.</summary>
    public Task<IdentityUser?> PendingUserAsync() => signIn.GetTwoFactorAuthenticationUserAsync();

    /// <summary>The key to show on the enrolment page; created on first use and kept until the enrolment succeeds.</summary>
    public async Task<string> EnrolmentKeyAsync(IdentityUser user, CancellationToken ct)
    {
        if (await Users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
        {
            return key;
        }

        await using var write = await db.BeginWriteAsync(ct);
        await Users.ResetAuthenticatorKeyAsync(user);
        await write.CommitAsync(ct);
        return (await Users.GetAuthenticatorKeyAsync(user))!;
    }

    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";

    /// <summary>Confirms the enrolment with a first code; returns the recovery codes (shown once) or null.</summary>
    public async Task<(CodeCheck Check, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(IdentityUser user, string code, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var check = await CheckTotpAsync(user, Normalise(code));
        if (check != CodeCheck.Accepted)
        {
            await write.CommitAsync(ct); // the failed attempt counts
            return (check, []);
        }

        await Users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await Users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await Users.ResetAccessFailedCountAsync(user);
        AuditLog.Record(db, clock, user.Email!, AuditAction.TwoFactorEnrolled);
        db.OutboxMessages.Add(mail.Create(user.Email!, "Zweiter Faktor für Ihr Konto eingerichtet",
        [
            "für Ihr Konto im internen Bereich des CDO-Forums wurde soeben eine Authenticator-App als zweiter Faktor eingerichtet. "
            + "Ab jetzt fragt die Anmeldung nach dem Passwort auch nach dem sechsstelligen Code aus der App.",
            "Bewahren Sie die zehn Wiederherstellungscodes an einem sicheren Ort auf, getrennt vom Telefon.",
        ]));
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return (CodeCheck.Accepted, codes);
    }

    /// <summary>A 6-digit code from the app, or one of the recovery codes.</summary>
    public async Task<(CodeCheck Check, int RecoveryCodesLeft)> VerifyAsync(IdentityUser user, string code, CancellationToken ct)
    {
        var normalised = Normalise(code);
        await using var write = await db.BeginWriteAsync(ct);
        if (normalised.Length == Totp.Digits)
        {
            var check = await CheckTotpAsync(user, normalised);
            if (check == CodeCheck.Accepted)
            {
                await Users.ResetAccessFailedCountAsync(user);
            }

            await write.CommitAsync(ct);
            return (check, 0);
        }

        if (await Users.IsLockedOutAsync(user))
        {
            return (CodeCheck.LockedOut, 0);
        }

        var recovery = normalised.Length == 10 ? $"{normalised[..5]}-{normalised[5..]}" : normalised;
        if (!(await Users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded)
        {
            await Users.AccessFailedAsync(user);
            await write.CommitAsync(ct);
            return (await Users.IsLockedOutAsync(user) ? CodeCheck.LockedOut : CodeCheck.Wrong, 0);
        }

        await Users.ResetAccessFailedCountAsync(user);
        var left = await Users.CountRecoveryCodesAsync(user);
        AuditLog.Record(db, clock, user.Email!, AuditAction.RecoveryCodeUsed, details: $"{left} Codes übrig");
        db.OutboxMessages.Add(mail.Create(user.Email!, "Anmeldung mit einem Wiederherstellungscode",
        [
            "bei der Anmeldung an Ihrem Konto im internen Bereich des CDO-Forums wurde soeben ein Wiederherstellungscode statt "
            + $"des Codes aus der Authenticator-App verwendet. Jeder Code gilt nur einmal; Ihnen bleiben noch {left}.",
            "Haben Sie Ihr Telefon verloren, lassen Sie den zweiten Faktor von der Administration zurücksetzen und richten Sie ihn neu ein.",
        ]));
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return (CodeCheck.RecoveryCodeAccepted, left);
    }

    /// <summary>Swaps the partial cookie for the staff cookie with amr=mfa and records the login.</summary>
    public async Task CompleteSignInAsync(IdentityUser user, CancellationToken ct)
    {
        var signedInAt = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(MfaClaimType, MfaClaimValue), new Claim(SignedInAtClaimType, signedInAt)]);
        await signIn.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await AuditLog.WriteAsync(db, clock, user.Email!, AuditAction.Login, ct);
    }

    /// <summary>`staff reset-2fa`: no key, no recovery codes, open sessions end; the next login enrols anew.</summary>
    public async Task ResetAsync(IdentityUser user, string actor, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        await Users.SetTwoFactorEnabledAsync(user, false);
        await Users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey");
        await Users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes");
        await Users.RemoveAuthenticationTokenAsync(user, TokenProvider, LastStepToken);
        await Users.UpdateSecurityStampAsync(user);
        AuditLog.Record(db, clock, actor, AuditAction.TwoFactorReset, details: $"Konto {user.Id}");
        db.OutboxMessages.Add(mail.Create(user.Email!, "Zweiter Faktor Ihres Kontos zurückgesetzt",
        [
            "der zweite Faktor (Authenticator-App) Ihres Kontos im internen Bereich des CDO-Forums wurde soeben von der "
            + "Administration zurückgesetzt. Ihre bisherigen Wiederherstellungscodes gelten nicht mehr.",
            "Bei der nächsten Anmeldung richten Sie die Authenticator-App nach dem Passwort neu ein.",
        ]));
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
    }

    /// <summary>Inside a write: lockout, the code in its window, and a step newer than the last one accepted.</summary>
    private async Task<CodeCheck> CheckTotpAsync(IdentityUser user, string code)
    {
        if (await Users.IsLockedOutAsync(user))
        {
            return CodeCheck.LockedOut;
        }

        var key = await Users.GetAuthenticatorKeyAsync(user);
        var step = key is null ? null : Totp.MatchingStep(key, code, clock.GetUtcNow());
        var last = long.TryParse(await Users.GetAuthenticationTokenAsync(user, TokenProvider, LastStepToken), CultureInfo.InvariantCulture, out var l)
            ? l
            : long.MinValue;
        if (step is not { } accepted || accepted <= last)
        {
            await Users.AccessFailedAsync(user);
            return await Users.IsLockedOutAsync(user) ? CodeCheck.LockedOut : CodeCheck.Wrong;
        }

        await Users.SetAuthenticationTokenAsync(user, TokenProvider, LastStepToken, accepted.ToString(CultureInfo.InvariantCulture));
        return CodeCheck.Accepted;
    }

    private static string Normalise(string code) =>
        new string([.. code.Where(c => !char.IsWhiteSpace(c) && c != '-')]).ToUpperInvariant();
}
