using System.Globalization;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>
/// A new event as a copy of another ("Als Vorlage verwenden"; without a choice, the latest event): everything but date,
/// slug, registrations and online access. The form proposes the same weekday four weeks on and the slug for that date.
/// </summary>
public sealed class NeuModel(CdoForumDbContext db, EventEditor editor, TimeProvider clock) : PageModel
{
    public sealed record NewEventInput
    {
        public string? Template { get; init; }

        public string? Date { get; init; }

        public string? Slug { get; init; }
    }

    [BindProperty]
    public NewEventInput Input { get; set; } = new();

    public IReadOnlyList<Event> Templates { get; private set; } = [];

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public IReadOnlyDictionary<string, string> ErrorsById { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(string? vorlage, CancellationToken cancellationToken)
    {
        await LoadTemplatesAsync(cancellationToken);
        if (Templates.Count == 0)
        {
            return Page();
        }

        var template = Templates.FirstOrDefault(e => e.Slug == vorlage) ?? Templates[0];
        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(clock.GetUtcNow()));
        var date = EventEditor.ProposeDate(template.Date, today);
        Input = new NewEventInput
        {
            Template = template.Slug,
            Date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Slug = EventEditor.ProposeSlug(date),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadTemplatesAsync(cancellationToken);
        var template = Templates.FirstOrDefault(e => e.Slug == Input.Template);
        if (template is null)
        {
            return Invalid([new FieldError("template", "Bitte wählen Sie eine Vorlage.")]);
        }

        var outcome = await editor.CopyAsync(template.Id, Input.Slug, Input.Date, User.Identity!.Name!, cancellationToken);
        return outcome.Status switch
        {
            EditStatus.Done => new SeeOtherResult(Url.Page("Bearbeiten", new { slug = outcome.Event!.Slug, erledigt = "angelegt" })!),
            EditStatus.Invalid => Invalid(outcome.Errors),
            _ => Invalid([new FieldError("template", "Die Vorlage gibt es nicht mehr; bitte wählen Sie eine andere.")]),
        };
    }

    private PageResult Invalid(IReadOnlyList<FieldError> errors)
    {
        Errors = EditorTexts.InFormOrder(errors);
        ErrorsById = EditorTexts.ById(errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task LoadTemplatesAsync(CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().ToListAsync(cancellationToken);
        Templates = [.. events.OrderByDescending(e => e.Date).ThenByDescending(e => e.StartTime)];
    }
}
