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
        if (User.Identity?.Name is { } name)
        {
            await AuditLog.WriteAsync(db, clock, name, AuditAction.Logout, cancellationToken);
        }

        await signIn.SignOutAsync();
        return new SeeOtherResult("/intern/anmelden?abgemeldet=true");
    }
}
