namespace Hagenow.CdoForum.Web.Pages.Anmeldung;

/// <summary>One labelled form field with its hint and error, rendered by <c>_FormField.cshtml</c>.</summary>
public sealed record FormField(string Name, string Label, string? Value, string? Error)
{
    public string? Hint { get; init; }

    public string Type { get; init; } = "text";

    public string? Autocomplete { get; init; }

    public bool MultiLine { get; init; }

    public bool Optional { get; init; }

    /// <summary>The ids of the hint and the error, for aria-describedby; null when there are neither.</summary>
    public string? DescribedBy
    {
        get
        {
            var ids = new[] { Hint is null ? null : $"{Name}-hint", Error is null ? null : $"{Name}-error" }.OfType<string>().ToArray();
            return ids.Length == 0 ? null : string.Join(' ', ids);
        }
    }

    public static FormField For(string name, string label, string? value, IReadOnlyDictionary<string, string> errors) =>
        new(name, label, value, errors.GetValueOrDefault(name));
}
