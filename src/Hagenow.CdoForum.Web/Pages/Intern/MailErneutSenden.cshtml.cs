using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>Confirmation step for sending a failed mail again.</summary>
public sealed class MailErneutSendenModel(CdoForumDbContext db, AttendeeActions actions) : PageModel
{
    public OutboxMessage Mail { get; private set; } = null!;

    public string? NotPossible { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Mail.Status != OutboxStatus.Failed || (Mail.Mime is null && !Mail.ComposeWhenSent))
        {
            NotPossible = NotPossibleText();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        switch (await actions.RetryMailAsync(id, User.Identity!.Name!, cancellationToken))
        {
            case ActionOutcome.NotFound:
                return NotFound();
            case ActionOutcome.NotPossible:
                await LoadAsync(id, cancellationToken);
                NotPossible = NotPossibleText();
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return SeeOtherResult.ToPage(Url, "/Intern/Mails", new { erneut = "true" });
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var mail = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        Mail = mail!;
        return mail is not null;
    }

    private string NotPossibleText() => Mail.Status switch
    {
        OutboxStatus.Pending => "Diese E-Mail wartet bereits auf den Versand.",
        OutboxStatus.Sent => "Diese E-Mail wurde inzwischen gesendet.",
        _ => "Der Inhalt dieser E-Mail ist nicht mehr vorhanden; sie lässt sich nicht erneut senden.",
    };
}
