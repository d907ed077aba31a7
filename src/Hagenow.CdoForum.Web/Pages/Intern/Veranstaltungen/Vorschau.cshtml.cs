using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Pages.Shared;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>The public page and the programme PDF of a draft (or a published event) exactly as they will look.</summary>
public sealed class VorschauModel(CdoForumDbContext db, RegistrationService registrations, ProgrammeDocuments documents, SiteUrls urls, TimeProvider clock)
    : PageModel
{
    public EventPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        View = await EventPageView.CreateAsync(found, registrations, clock.GetUtcNow(), Url.Page("Vorschau", "pdf", new { slug }), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "private, no-store";
        // The address the PDF will print once published: the public event page.
        var pdf = documents.Get(found, urls.Event(found.Slug));
        Response.Headers.ContentDisposition = $"inline; filename=Vorschau-{ProgrammeDocuments.FileName(found)}";
        return File(pdf, "application/pdf");
    }
}
