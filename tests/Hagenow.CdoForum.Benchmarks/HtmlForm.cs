using System.Net;
using System.Text.RegularExpressions;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>
/// The fields of a POST form as a browser would send them, read from the page's HTML: hidden fields (the antiforgery
/// token) keep their value, the rest is filled by type and name, so the benchmark follows the form as it is built.
/// </summary>
internal sealed partial class HtmlForm
{
    private HtmlForm(string action, List<Field> fields)
    {
        Action = action;
        Fields = fields;
    }

    public string Action { get; }

    public IReadOnlyList<Field> Fields { get; }

    /// <summary>The first POST form of the page that carries <paramref name="requiredField"/>, or null.</summary>
    public static HtmlForm? Find(string html, string pageUrl, string requiredField)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var attributes = Attributes(form.Groups["attrs"].Value);
            if (!string.Equals(attributes.GetValueOrDefault("method"), "post", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fields = ReadFields(form.Groups["body"].Value);
            if (fields.Any(f => f.Name == requiredField))
            {
                var action = attributes.GetValueOrDefault("action");
                return new HtmlForm(string.IsNullOrEmpty(action) ? pageUrl : WebUtility.HtmlDecode(action), fields);
            }
        }

        return null;
    }

    /// <summary>Name/value pairs to post; <paramref name="fill"/> chooses values of visible fields (null = leave empty).</summary>
    public List<KeyValuePair<string, string>> Values(Func<Field, string?> fill)
    {
        var values = new List<KeyValuePair<string, string>>();
        var radioGroupsDone = new HashSet<string>();
        foreach (var field in Fields)
        {
            switch (field.Kind)
            {
                case "hidden":
                    values.Add(new(field.Name, field.Value ?? ""));
                    break;
                case "submit" or "button" or "reset" or "image" or "file":
                    break;
                case "radio":
                    if (radioGroupsDone.Add(field.Name))
                    {
                        values.Add(new(field.Name, field.Value ?? "on"));
                    }

                    break;
                case "checkbox":
                    // Tick every box (consents included); ASP.NET's hidden "false" twin comes later, so "true" wins.
                    values.Add(new(field.Name, field.Value ?? "on"));
                    break;
                case "select":
                    values.Add(new(field.Name, field.Options.FirstOrDefault(o => o.Length > 0) ?? ""));
                    break;
                default:
                    var value = fill(field) ?? "";
                    if (field.MaxLength is { } max && value.Length > max)
                    {
                        value = value[..max];
                    }

                    values.Add(new(field.Name, value));
                    break;
            }
        }

        // Hidden twins of checkboxes must follow the checkbox: move them to the end.
        var checkboxNames = Fields.Where(f => f.Kind == "checkbox").Select(f => f.Name).ToHashSet();
        return [.. values.Where(v => !(checkboxNames.Contains(v.Key) && IsHiddenFalse(v))), .. values.Where(v => checkboxNames.Contains(v.Key) && IsHiddenFalse(v))];

        static bool IsHiddenFalse(KeyValuePair<string, string> v) => v.Value == "false";
    }

    private static List<Field> ReadFields(string body)
    {
        var fields = new List<Field>();
        foreach (Match control in ControlPattern().Matches(body))
        {
            var tag = control.Groups["tag"].Value.ToLowerInvariant();
            var attributes = Attributes(control.Groups["attrs"].Value);
            if (!attributes.TryGetValue("name", out var name) || attributes.ContainsKey("disabled"))
            {
                continue;
            }

            var kind = tag switch
            {
                "input" => (attributes.GetValueOrDefault("type") ?? "text").ToLowerInvariant(),
                "textarea" => "textarea",
                _ => "select",
            };
            var options = kind == "select"
                ? OptionPattern().Matches(control.Groups["inner"].Value).Select(o => WebUtility.HtmlDecode(o.Groups["value"].Value)).ToList()
                : [];
            int? maxLength = attributes.TryGetValue("maxlength", out var ml) && int.TryParse(ml, out var parsed) ? parsed : null;
            fields.Add(new Field(
                WebUtility.HtmlDecode(name),
                kind,
                attributes.TryGetValue("value", out var v) ? WebUtility.HtmlDecode(v) : null,
                attributes.ContainsKey("required") || attributes.GetValueOrDefault("aria-required") == "true",
                maxLength,
                options));
        }

        return fields;
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match a in AttributePattern().Matches(text))
        {
            var value = a.Groups["dq"].Success ? a.Groups["dq"].Value : a.Groups["sq"].Success ? a.Groups["sq"].Value : a.Groups["bare"].Value;
            attributes.TryAdd(a.Groups["name"].Value, value);
        }

        return attributes;
    }

    [GeneratedRegex(@"<form\b(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<(?<tag>input)\b(?<attrs>[^>]*)/?>|<(?<tag>textarea|select)\b(?<attrs>[^>]*)>(?<inner>.*?)</\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ControlPattern();

    [GeneratedRegex(@"<option\b[^>]*?value=""(?<value>[^""]*)""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"(?<name>[^\s=/>""']+)(?:\s*=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<bare>[^\s>]+)))?", RegexOptions.Singleline)]
    private static partial Regex AttributePattern();

    internal sealed record Field(string Name, string Kind, string? Value, bool Required, int? MaxLength, IReadOnlyList<string> Options);
}
