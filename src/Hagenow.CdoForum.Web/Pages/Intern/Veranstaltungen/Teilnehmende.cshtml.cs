using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

public sealed class TeilnehmendeModel(CdoForumDbContext db, AttendeeList attendees) : PageModel
{
    public Event Event { get; private set; } = null!;

    public AttendeeCounts Counts { get; private set; } = AttendeeCounts.None;

    public AttendeePage Result { get; private set; } = new([], 0, 1, 1);

    [BindProperty(SupportsGet = true, Name = "suche")]
    public string? Search { get; set; }

    /// <summary>bestaetigt, warteliste, storniert or empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    /// <summary>name, organisation, angemeldet, status.</summary>
    [BindProperty(SupportsGet = true, Name = "sortierung")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "absteigend")]
    public bool Descending { get; set; }

    [BindProperty(SupportsGet = true, Name = "seite")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The action just done, to confirm it at the top of the list (after erasure the person's page is gone).</summary>
    [BindProperty(SupportsGet = true, Name = "erledigt")]
    public string? Done { get; set; }

    public static readonly IReadOnlyList<(string Value, string Label)> StatusOptions =
    [
        ("", "Alle"), ("bestaetigt", "Bestätigt"), ("warteliste", "Warteliste"), ("storniert", "Storniert"),
    ];

    public static RegistrationStatus? ParseStatus(string? value) => value switch
    {
        "bestaetigt" => RegistrationStatus.Confirmed,
        "warteliste" => RegistrationStatus.Waiting,
        "storniert" => RegistrationStatus.Cancelled,
        _ => null,
    };

    public static AttendeeSort ParseSort(string? value) => value switch
    {
        "organisation" => AttendeeSort.Organisation,
        "angemeldet" => AttendeeSort.RegisteredAt,
        "status" => AttendeeSort.Status,
        _ => AttendeeSort.Name,
    };

    public string SortKey => ParseSort(Sort) switch
    {
        AttendeeSort.Organisation => "organisation",
        AttendeeSort.RegisteredAt => "angemeldet",
        AttendeeSort.Status => "status",
        _ => "name",
    };

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        Event = found;
        Counts = await attendees.CountAsync(found.Id, cancellationToken);
        Result = await attendees.FindAsync(found.Id, new AttendeeFilter(Search, ParseStatus(Status), ParseSort(Sort), Descending, PageNumber), cancellationToken);
        return Page();
    }

    /// <summary>The list's address with the current search, filter and sort, changing only what is given.</summary>
    public string ListUrl(string? sort = null, bool? descending = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["suche"] = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
            ["status"] = ParseStatus(Status) is null ? null : Status,
            ["sortierung"] = sort ?? (SortKey == "name" ? null : SortKey),
            ["absteigend"] = (descending ?? Descending) ? "true" : null,
            ["seite"] = (page ?? 1) is var p && p > 1 ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            Url.PagePath("/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug }),
            query.Where(q => q.Value is not null));
    }

    /// <summary>aria-sort for a column header.</summary>
    public string? AriaSort(string key) => key == SortKey ? (Descending ? "descending" : "ascending") : null;
}
