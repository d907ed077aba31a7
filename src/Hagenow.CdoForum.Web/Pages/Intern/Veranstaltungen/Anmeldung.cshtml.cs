using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>One registration with everything the person entered, the mails sent to them, and the actions on it.</summary>
public sealed class AnmeldungModel(CdoForumDbContext db) : PageModel
{
    public sealed record MailLine(long Id, MailKind Kind, OutboxStatus Status, DateTime CreatedAtUtc, DateTime? SentAtUtc, int Attempts, string? LastError);

    public Registration Registration { get; private set; } = null!;

    public IReadOnlyList<MailLine> Mails { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "erledigt")]
    public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, int id, CancellationToken cancellationToken)
    {
        var found = await db.Registrations.AsNoTracking().Include(r => r.Event)
            .SingleOrDefaultAsync(r => r.Id == id && r.Event.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Registration = found;
        Mails = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.RegistrationId == id)
            .OrderBy(m => m.CreatedAtUtc)
            .Select(m => new MailLine(m.Id, m.Kind, m.Status, m.CreatedAtUtc, m.SentAtUtc, m.Attempts, m.LastError))
            .ToListAsync(cancellationToken);
        return Page();
    }
}
