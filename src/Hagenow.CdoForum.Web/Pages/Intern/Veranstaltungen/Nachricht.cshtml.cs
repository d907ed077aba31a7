using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>"Nachricht an Teilnehmende": groups, subject, text; then a preview for one recipient, the count and a confirmation.</summary>
public sealed class NachrichtModel(CdoForumDbContext db, EventChangeNotices notices) : PageModel
{
    public static readonly IReadOnlyList<(MessageGroup Group, string Label)> GroupOptions =
    [
        (MessageGroup.Confirmed, "Bestätigte Anmeldungen"),
        (MessageGroup.Waiting, "Warteliste"),
        (MessageGroup.Attended, "Teilgenommen (Teilnahme vermerkt)"),
        (MessageGroup.ConfirmedNotAttended, "Bestätigt, aber nicht teilgenommen"),
    ];

    public Event Event { get; private set; } = null!;

    [BindProperty(Name = "Gruppen")]
    public List<MessageGroup> Groups { get; set; } = [];

    [BindProperty(Name = "Betreff")]
    public string? Subject { get; set; }

    [BindProperty(Name = "Text")]
    public string? Text { get; set; }

    public MessagePreview? Preview { get; private set; }

    public IReadOnlyDictionary<string, string> Errors => Preview?.Errors ?? new Dictionary<string, string>();

    public string ListUrl => Url.PagePath("/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug });

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken) =>
        await LoadAsync(slug, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVorschauAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        Preview = await notices.PreviewMessageAsync(Event.Id, Draft, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSendenAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        Preview = await notices.SendMessageAsync(Event.Id, Draft, User.Identity!.Name!, cancellationToken);
        return Preview.IsValid ? SeeOtherResult.ToPage(Url, "/Intern/Veranstaltungen/Teilnehmende", new { slug = Event.Slug, erledigt = "nachricht" }) : Page();
    }

    private MessageDraft Draft => new(Groups, Subject, Text);

    /// <summary>The German field names the error summary links to.</summary>
    public static string FieldId(string key) => key switch
    {
        "Subject" => "Betreff",
        "Text" => "Text",
        _ => "Gruppe-Confirmed",
    };

    private async Task<bool> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (ev is null)
        {
            return false;
        }

        Event = ev;
        return true;
    }
}
