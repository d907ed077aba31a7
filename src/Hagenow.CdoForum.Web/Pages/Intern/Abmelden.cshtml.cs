using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>GET asks, POST signs out: a link from another page cannot end the session.</summary>
public sealed class AbmeldenModel(SignInManager<IdentityUser> signIn, CdoForumDbContext db, TimeProvider clock) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A new security stamp ends every session of the account, also a cookie copied before this logout.
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await using var write = await db.BeginWriteAsync(cancellationToken);
            await signIn.UserManager.UpdateSecurityStampAsync(user);
            AuditLog.Record(db, clock, user.Email ?? user.Id, AuditAction.Logout);
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        await signIn.SignOutAsync();
        return SeeOtherResult.ToPage(Url, "/Intern/Anmelden", new { abgemeldet = "true" });
    }
}
