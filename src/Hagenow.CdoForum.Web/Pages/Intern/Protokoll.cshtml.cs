using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>The audit log, newest first. Read only: the site has no way to change or delete an entry.</summary>
public sealed class ProtokollModel(CdoForumDbContext db) : PageModel
{
    public const int PageSize = 100;

    public sealed record Line(DateTime AtUtc, string Actor, string Action, int? EventId, string? EventSlug, int? RegistrationId, string? Details);

    public IReadOnlyList<Line> Lines { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "seite")]
    public int PageNumber { get; set; } = 1;

    public int PageCount { get; private set; } = 1;

    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Total = await db.AuditEntries.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Lines = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(a => a.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .Select(a => new Line(a.AtUtc, a.Actor, a.Action, a.EventId,
                db.Set<Event>().Where(e => e.Id == a.EventId).Select(e => e.Slug).FirstOrDefault(), a.RegistrationId, a.Details))
            .ToListAsync(cancellationToken);
        return Page();
    }
}
