using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>Downloads of the attendee list; a page (not an endpoint) so the folder's login rule covers it.</summary>
public sealed class ExportModel(CdoForumDbContext db, AttendeeExport export) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string slug, string format, CancellationToken cancellationToken)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (ev is null || AttendeeExport.ParseFormat(format) is not { } kind)
        {
            return NotFound();
        }

        var fileName = AttendeeExport.FileName(ev, kind);
        if (kind == ExportFormat.Pdf)
        {
            // Laid out in memory first, so only a PDF that was actually produced is recorded.
            var pdf = await export.RenderPdfAsync(ev, cancellationToken);
            await export.RecordAsync(ev, kind, User.Identity!.Name!, cancellationToken);
            return File(pdf, AttendeeExport.ContentType(kind), fileName);
        }

        // Recorded before the first byte: once streaming has begun, the list has (at least partly) left the site.
        await export.RecordAsync(ev, kind, User.Identity!.Name!, cancellationToken);

        Response.ContentType = AttendeeExport.ContentType(kind);
        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        if (kind == ExportFormat.Csv)
        {
            await export.WriteCsvAsync(ev.Id, Response.Body, cancellationToken);
        }
        else
        {
            await export.WriteXlsxAsync(ev, Response.Body, cancellationToken);
        }

        return new EmptyResult();
    }
}
