using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Privacy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>
/// A person's data on request (DSGVO Art. 15): look up an address across all events, read it as a printable page or
/// download it as JSON. POST only, so the address never stands in a URL, a log or the browser history.
/// </summary>
public sealed class AuskunftModel(PersonalData personalData, CdoForumDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Bitte geben Sie die E-Mail-Adresse der Person ein.")]
    [StringLength(254, ErrorMessage = "Die E-Mail-Adresse ist zu lang.")]
    public string? Email { get; set; }

    public PersonalDataReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Validate())
        {
            return Page();
        }

        Report = await personalData.ForAddressAsync(Email!, cancellationToken);
        await RecordAsync(Report, "angezeigt", cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken cancellationToken)
    {
        if (!Validate())
        {
            return Page();
        }

        var report = await personalData.ForAddressAsync(Email!, cancellationToken);
        await RecordAsync(report, "als JSON heruntergeladen", cancellationToken);
        var date = report.CreatedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File(PersonalData.ToJson(report), "application/json; charset=utf-8", $"auskunft-{date}.json");
    }

    private bool Validate()
    {
        if (ModelState.IsValid && !(MailAddress.TryCreate(Email!.Trim(), out var address) && address.Address == Email.Trim()))
        {
            ModelState.AddModelError(nameof(Email), "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@kommune.de.");
        }

        return ModelState.IsValid;
    }

    private Task RecordAsync(PersonalDataReport report, string how, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(db, clock, User.Identity!.Name!, AuditAction.PersonalDataAccess, cancellationToken,
            details: $"{report.Registrations.Count} Anmeldungen, {report.Mails.Count} E-Mails, {how}");
}
