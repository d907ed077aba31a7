using Hagenow.CdoForum.Web.Events;

namespace Hagenow.CdoForum.Web.Pages.Intern.Veranstaltungen;

/// <summary>One labelled field of the event editor with its hint and error, rendered by <c>_EditorField.cshtml</c>.</summary>
public sealed record EditorField(string Id, string Name, string Label, string? Value, string? Error)
{
    public string Type { get; init; } = "text";

    public string? Hint { get; init; }

    public bool MultiLine { get; init; }

    /// <summary>A one-line value shown in a wrapping box (long titles, names, addresses).</summary>
    public bool Wrap { get; init; }

    public int Rows { get; init; } = 5;

    public bool Optional { get; init; }

    public bool ReadOnly { get; init; }

    public string? InputMode { get; init; }

    /// <summary>For a select: value and German label of each option.</summary>
    public IReadOnlyList<(string Value, string Label)>? Options { get; init; }

    public string? DescribedBy
    {
        get
        {
            var ids = new[] { Hint is null ? null : $"{Id}-hint", Error is null ? null : $"{Id}-error" }.OfType<string>().ToArray();
            return ids.Length == 0 ? null : string.Join(' ', ids);
        }
    }
}

/// <summary>German names and the mapping from the rules' field keys to the editor's element ids.</summary>
public static class EditorTexts
{
    public static readonly IReadOnlyList<(string Value, string Label)> Formats =
        [("online", "Online"), ("in-person", "Vor Ort"), ("hybrid", "Hybrid (vor Ort und online)")];

    public static readonly IReadOnlyList<(string Value, string Label)> Kinds =
    [
        (EventRules.KindName(AgendaItemKind.Welcome), "Begrüßung"),
        (EventRules.KindName(AgendaItemKind.Talk), "Vortrag"),
        (EventRules.KindName(AgendaItemKind.Discussion), "Diskussion"),
        (EventRules.KindName(AgendaItemKind.Summary), "Zusammenfassung"),
        (EventRules.KindName(AgendaItemKind.Closing), "Abschluss"),
        (EventRules.KindName(AgendaItemKind.Break), "Pause"),
        (EventRules.KindName(AgendaItemKind.Other), "Sonstiges"),
    ];

    /// <summary>
    /// "agenda[1].speakers[0].name" → "agenda-1-speakers-0-name". Lists edited in one text area (paragraphs, c/o lines,
    /// funders) point at that text area.
    /// </summary>
    public static string FieldId(string key)
    {
        foreach (var list in new[] { "description", "funders", "organiser.careOf" })
        {
            if (key.StartsWith(list + "[", StringComparison.Ordinal))
            {
                key = list;
            }
        }

        return key.Replace("].", "-", StringComparison.Ordinal).Replace('[', '-').Replace("]", "", StringComparison.Ordinal).Replace('.', '-');
    }

    private static readonly string[] FormOrder =
    [
        "template", "series", "title", "slug", "date", "start", "end", "format", "location", "onlineAccess", "capacity",
        "registrationDeadline", "descriptionHeading", "description", "agenda", "organiser", "funders", "moreInformationUrl",
    ];

    /// <summary>Errors in the order of the form's fields (stable within one field, e.g. agenda items in order).</summary>
    public static IReadOnlyList<FieldError> InFormOrder(IEnumerable<FieldError> errors) =>
        [.. errors.OrderBy(e => Array.IndexOf(FormOrder, e.Field.Split('.', '[')[0]) is var i and >= 0 ? i : FormOrder.Length)];

    /// <summary>Messages by element id, several for one field joined.</summary>
    public static Dictionary<string, string> ById(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => FieldId(e.Field))
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message).Distinct()), StringComparer.Ordinal);
}
