using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Pages;

/// <summary>
/// Impressum, Datenschutz and Barrierefreiheit: the organiser's contact comes from the newest event (the seed's KTS
/// block), what only the operator can state comes from configuration and is shown as missing when absent.
/// </summary>
public sealed class LegalPageModel(CdoForumDbContext db, IOptions<LegalOptions> legal, IOptions<PrivacyOptions> privacy) : PageModel
{
    public LegalOptions Legal { get; } = legal.Value;

    public PrivacyOptions Privacy { get; } = privacy.Value;

    public Organiser Organiser { get; private set; } = new();

    public IReadOnlyList<string> Funders { get; private set; } = [];

    public IReadOnlyList<string> MissingKeys { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var latest = await db.Events.AsNoTracking().Public()
            .OrderByDescending(e => e.Date)
            .FirstOrDefaultAsync(cancellationToken);
        Organiser = latest?.Organiser ?? new Organiser { Name = "Koordinierungs- und Transferstelle Modellprojekte Smart Cities", ShortName = "KTS" };
        Funders = latest?.Funders ?? [];
        MissingKeys = [.. RequiredKeys().Where(k => string.IsNullOrWhiteSpace(k.Value)).Select(k => k.Key)];
    }

    private IEnumerable<KeyValuePair<string, string?>> RequiredKeys() =>
    [
        new("Legal:Operator", Legal.Operator),
        new("Legal:PostalAddress", Legal.PostalAddress),
        new("Legal:Representatives", Legal.Representatives),
        new("Legal:Register", Legal.Register),
        new("Legal:ResponsibleForContent", Legal.ResponsibleForContent),
        new("Legal:DataProtectionOfficer", Legal.DataProtectionOfficer),
        new("Legal:SupervisoryAuthority", Legal.SupervisoryAuthority),
    ];
}
