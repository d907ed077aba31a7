using System.Globalization;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>
/// The event editor. Adding, removing and moving agenda items and speakers are submit buttons handled here, so the
/// page works without script; only "Speichern" writes, through <see cref="EventEditor.SaveAsync"/>.
/// </summary>
public sealed partial class BearbeitenModel(CdoForumDbContext db, EventEditor editor) : PageModel
{
    public sealed class SpeakerInput
    {
        public string? Name { get; set; }

        public string? Role { get; set; }

        public string? Organisation { get; set; }
    }

    public sealed class AgendaItemInput
    {
        public string? Time { get; set; }

        public string? Title { get; set; }

        public string? Kind { get; set; }

        public List<SpeakerInput> Speakers { get; set; } = [];
    }

    /// <summary>The form as strings, so every mistake comes back with the value the person typed.</summary>
    public sealed class EditorInput
    {
        public int Version { get; set; }

        public string? Slug { get; set; }

        public string? Series { get; set; }

        public string? Title { get; set; }

        public string? Date { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }

        public string? Format { get; set; }

        public string? Location { get; set; }

        public string? OnlineAccess { get; set; }

        public string? Capacity { get; set; }

        public string? RegistrationDeadline { get; set; }

        public string? DescriptionHeading { get; set; }

        /// <summary>Paragraphs separated by an empty line.</summary>
        public string? Description { get; set; }

        public List<AgendaItemInput> Agenda { get; set; } = [];

        public string? OrganiserName { get; set; }

        public string? OrganiserShortName { get; set; }

        /// <summary>One line each.</summary>
        public string? OrganiserCareOf { get; set; }

        public string? OrganiserPhone { get; set; }

        public string? OrganiserHotline { get; set; }

        public string? OrganiserEmail { get; set; }

        public string? OrganiserWebsite { get; set; }

        public string? OrganiserContactNote { get; set; }

        /// <summary>One funder per line.</summary>
        public string? Funders { get; set; }

        public string? MoreInformationUrl { get; set; }

        public static EditorInput From(Event e)
        {
            var d = EventDocument.FromEvent(e);
            return new EditorInput
            {
                Version = e.Sequence,
                Slug = d.Slug,
                Series = d.Series,
                Title = d.Title,
                Date = d.Date,
                Start = d.Start,
                End = d.End,
                Format = d.Format,
                Location = d.Location,
                OnlineAccess = d.OnlineAccess,
                Capacity = d.Capacity?.ToString(CultureInfo.InvariantCulture),
                RegistrationDeadline = d.RegistrationDeadline,
                DescriptionHeading = d.DescriptionHeading,
                Description = string.Join("\n\n", e.Description),
                Agenda =
                [
                    .. (d.Agenda ?? []).Select(a => new AgendaItemInput
                    {
                        Time = a.Time,
                        Title = a.Title,
                        Kind = a.Kind,
                        Speakers = [.. (a.Speakers ?? []).Select(s => new SpeakerInput { Name = s.Name, Role = s.Role, Organisation = s.Organisation })],
                    }),
                ],
                OrganiserName = e.Organiser.Name,
                OrganiserShortName = e.Organiser.ShortName,
                OrganiserCareOf = string.Join("\n", e.Organiser.CareOf),
                OrganiserPhone = e.Organiser.Phone,
                OrganiserHotline = e.Organiser.Hotline,
                OrganiserEmail = e.Organiser.Email,
                OrganiserWebsite = e.Organiser.Website,
                OrganiserContactNote = e.Organiser.ContactNote,
                Funders = string.Join("\n", e.Funders),
                MoreInformationUrl = e.MoreInformationUrl,
            };
        }

        /// <summary>The JSON document the rules check; a capacity that is no number is reported in <paramref name="errors"/>.</summary>
        public EventDocument ToDocument(List<FieldError> errors)
        {
            int? capacity = null;
            if (!string.IsNullOrWhiteSpace(Capacity))
            {
                if (int.TryParse(Capacity.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    capacity = parsed;
                }
                else
                {
                    errors.Add(new FieldError("capacity", $"„{Capacity}“ ist keine Platzzahl: bitte eine ganze Zahl größer als 0, oder leer für keine Begrenzung."));
                }
            }

            return new EventDocument
            {
                Slug = OneLine(Slug),
                Series = OneLine(Series),
                Title = OneLine(Title),
                Date = Date,
                Start = Start,
                End = End,
                Format = Format,
                Location = OneLine(Location),
                OnlineAccess = OneLine(OnlineAccess),
                Capacity = capacity,
                RegistrationDeadline = RegistrationDeadline,
                DescriptionHeading = OneLine(DescriptionHeading),
                Description = [.. ParagraphBreak().Split(Description ?? "").Select(p => string.Join(' ', Lines(p)))],
                Agenda =
                [
                    .. Agenda.Select(a => new EventDocument.AgendaItemDocument(
                        a.Time, OneLine(a.Title), a.Kind,
                        [.. a.Speakers.Select(s => new EventDocument.SpeakerDocument(OneLine(s.Name), OneLine(s.Role), OneLine(s.Organisation)))])),
                ],
                Organiser = new EventDocument.OrganiserDocument(
                    OneLine(OrganiserName), OneLine(OrganiserShortName), Lines(OrganiserCareOf), OneLine(OrganiserPhone), OneLine(OrganiserHotline),
                    OneLine(OrganiserEmail), OneLine(OrganiserWebsite), OneLine(OrganiserContactNote)),
                Funders = Lines(Funders),
                MoreInformationUrl = OneLine(MoreInformationUrl),
            };
        }

        /// <summary>Line breaks typed into a wrapping box are spaces: every field but the lists is one line.</summary>
        private static string? OneLine(string? text) => text is null ? null : string.Join(' ', Lines(text));

        private static List<string> Lines(string? text) =>
            [.. (text ?? "").Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0)];
    }

    [BindProperty]
    public EditorInput Input { get; set; } = new();

    public Event Event { get; private set; } = null!;

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public IReadOnlyDictionary<string, string> ErrorsById { get; private set; } = new Dictionary<string, string>();

    /// <summary>What the last button did, announced as a status ("Programmpunkt 3 hinzugefügt …").</summary>
    public string? Status { get; private set; }

    /// <summary>Set when someone else saved the event after this form was loaded.</summary>
    public bool Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? erledigt, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        Input = EditorInput.From(Event);
        Status = erledigt switch
        {
            "gespeichert" => "Die Änderungen sind gespeichert.",
            "unveraendert" => "Es gab keine Änderungen zu speichern.",
            "angelegt" => "Der Entwurf ist angelegt. Passen Sie ihn an, sehen Sie sich die Vorschau an und veröffentlichen Sie ihn.",
            "veroeffentlicht" => "Die Veranstaltung ist veröffentlicht.",
            "zurueckgezogen" => "Die Veranstaltung ist zurückgezogen und wieder ein Entwurf.",
            _ => null,
        };
        return Page();
    }

    /// <summary>Set when a save waits for staff to confirm that registrants are told about the change.</summary>
    public EditOutcome? Notice { get; private set; }

    public async Task<IActionResult> OnPostAsync(string slug, string? command, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken))
        {
            return NotFound();
        }

        if (command is { Length: > 0 } && command is not ("save" or "save-notify"))
        {
            Status = Apply(command);
            return Page();
        }

        var errors = new List<FieldError>();
        var document = Input.ToDocument(errors);
        if (errors.Count > 0)
        {
            // The typed capacity is no number: show it together with everything else the rules find, save nothing.
            return Invalid([.. errors, .. EventRules.Check(document with { Capacity = null }, new EventRuleContext()).Errors]);
        }

        var outcome = await editor.SaveAsync(Event.Id, Input.Version, document, User.Identity!.Name!, cancellationToken,
            notifyConfirmed: command == "save-notify");
        switch (outcome.Status)
        {
            case EditStatus.ConfirmNotice:
                Notice = outcome;
                return Page();
            case EditStatus.NotFound:
                return NotFound();
            case EditStatus.Invalid:
                return Invalid(outcome.Errors);
            case EditStatus.Conflict:
                Conflict = true;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return new SeeOtherResult(Url.Page("Bearbeiten", new { slug = outcome.Event!.Slug, erledigt = outcome.ChangedFields.Count > 0 ? "gespeichert" : "unveraendert" })!);
        }
    }

    public string? ErrorFor(string id) => ErrorsById.GetValueOrDefault(id);

    private PageResult Invalid(IReadOnlyList<FieldError> errors)
    {
        Errors = EditorTexts.InFormOrder(errors);
        ErrorsById = EditorTexts.ById(errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (found is null)
        {
            return false;
        }

        Event = found;
        return true;
    }

    /// <summary>Carries out an add/remove/move button on the unsaved form and says what it did.</summary>
    private string? Apply(string command)
    {
        var parts = command.Split('-');
        int At(int i) => i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var agenda = Input.Agenda;
        var i = At(2);
        var valid = i >= 0 && i < agenda.Count;
        const string unsaved = " Noch nicht gespeichert.";
        switch (parts[0] + "-" + (parts.Length > 1 ? parts[1] : ""))
        {
            case "agenda-add":
                agenda.Add(new AgendaItemInput { Time = agenda.LastOrDefault()?.Time ?? Input.Start, Kind = EventRules.KindName(AgendaItemKind.Other) });
                return $"Programmpunkt {agenda.Count} hinzugefügt (unten).{unsaved}";
            case "agenda-remove" when valid:
                agenda.RemoveAt(i);
                return $"Programmpunkt {i + 1} entfernt.{unsaved}";
            case "agenda-up" when valid && i > 0:
                (agenda[i - 1], agenda[i]) = (agenda[i], agenda[i - 1]);
                return $"Programmpunkt {i + 1} ist jetzt Punkt {i}.{unsaved}";
            case "agenda-down" when valid && i < agenda.Count - 1:
                (agenda[i + 1], agenda[i]) = (agenda[i], agenda[i + 1]);
                return $"Programmpunkt {i + 1} ist jetzt Punkt {i + 2}.{unsaved}";
            case "speaker-add" when valid:
                agenda[i].Speakers.Add(new SpeakerInput());
                return $"Programmpunkt {i + 1}: Mitwirkende {agenda[i].Speakers.Count} hinzugefügt.{unsaved}";
            case "speaker-remove" when valid && At(3) is var j && j >= 0 && j < agenda[i].Speakers.Count:
                agenda[i].Speakers.RemoveAt(j);
                return $"Programmpunkt {i + 1}: Mitwirkende {j + 1} entfernt.{unsaved}";
            default:
                return null;
        }
    }

    [GeneratedRegex(@"\r?\n\s*\r?\n")]
    private static partial Regex ParagraphBreak();
}
