using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>Mails the outbox gave up on, newest first, with the mail server's last answer.</summary>
public sealed class MailsModel(CdoForumDbContext db) : PageModel
{
    public sealed record Line(long Id, DateTime CreatedAtUtc, MailKind Kind, string Recipient, string Subject, int Attempts, string? LastError,
        int? RegistrationId, string? EventSlug);

    public IReadOnlyList<Line> Failed { get; private set; } = [];

    public int PendingCount { get; private set; }

    [BindProperty(SupportsGet = true, Name = "erneut")]
    public bool Requeued { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PendingCount = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending, cancellationToken);
        Failed = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Failed)
            .OrderByDescending(m => m.Id)
            .Take(500)
            .Select(m => new Line(m.Id, m.CreatedAtUtc, m.Kind, m.Recipient, m.Subject, m.Attempts, m.LastError, m.RegistrationId,
                db.Set<Registration>().Where(r => r.Id == m.RegistrationId).Select(r => r.Event.Slug).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}
