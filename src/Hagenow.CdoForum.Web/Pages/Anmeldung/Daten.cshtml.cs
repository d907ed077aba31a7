using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages.Anmeldung;

/// <summary>
/// A participant's own data as JSON, reached through the secret link. Only the registration behind the link: the link
/// proves access to that one registration, not to the mailbox, so other registrations with the same address (possibly
/// entered by a colleague) are for the staff's Art. 15 answer, not for whoever holds this link.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DatenModel(RegistrationService registrations, PersonalData personalData, CdoForumDbContext db, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var registration = await registrations.FindByTokenAsync(token, ct);
        if (registration is null)
        {
            return NotFound();
        }

        var report = await personalData.ForRegistrationAsync(registration.Id, ct);
        await AuditLog.WriteAsync(db, clock, AuditLog.SystemActor, AuditAction.OwnDataDownloaded, ct, registration.EventId,
            details: $"Anmeldung {registration.Id}");
        var date = report.CreatedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File(PersonalData.ToJson(report), "application/json; charset=utf-8", $"meine-daten-{date}.json");
    }
}
