using System.Text.RegularExpressions;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Subject and text of a message to participants: the rules for what staff may write, and filling in the placeholders
/// {Vorname}, {Nachname} and {Link} (the person's own registration page) for one recipient.
/// </summary>
public static partial class MessageTemplate
{
    public const int MaxSubjectLength = 150;
    public const int MaxTextLength = 10_000;

    public static readonly IReadOnlyList<string> Placeholders = ["{Vorname}", "{Nachname}", "{Link}"];

    /// <summary>German messages by field ("Subject", "Text"); empty when both may be sent.</summary>
    public static Dictionary<string, string> Validate(string? subject, string? text)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(subject))
        {
            errors["Subject"] = "Bitte geben Sie einen Betreff ein.";
        }
        else if (subject.Length > MaxSubjectLength)
        {
            errors["Subject"] = $"Der Betreff darf höchstens {MaxSubjectLength} Zeichen lang sein (jetzt {subject.Length}).";
        }
        else if (subject.Any(char.IsControl))
        {
            errors["Subject"] = "Der Betreff darf keine Steuerzeichen und keine Zeilenumbrüche enthalten.";
        }
        else if (UnknownPlaceholder(subject) is { } unknownInSubject)
        {
            errors["Subject"] = UnknownMessage(unknownInSubject);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors["Text"] = "Bitte geben Sie einen Text ein.";
        }
        else if (text.Length > MaxTextLength)
        {
            errors["Text"] = $"Der Text darf höchstens {MaxTextLength} Zeichen lang sein (jetzt {text.Length}).";
        }
        else if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors["Text"] = "Der Text darf keine Steuerzeichen enthalten (nur Zeilenumbrüche und Tabulatoren).";
        }
        else if (UnknownPlaceholder(text) is { } unknown)
        {
            errors["Text"] = UnknownMessage(unknown);
        }

        return errors;
    }

    /// <summary>The text for one person; call only after <see cref="Validate"/> found nothing.</summary>
    public static string Fill(string template, MailRecipient recipient) => template
        .Replace("{Vorname}", recipient.FirstName, StringComparison.Ordinal)
        .Replace("{Nachname}", recipient.LastName, StringComparison.Ordinal)
        .Replace("{Link}", recipient.OwnPage.AbsoluteUri, StringComparison.Ordinal);

    /// <summary>Paragraphs (split at empty lines), each as its lines.</summary>
    public static IEnumerable<IReadOnlyList<string>> Paragraphs(string text) =>
        ParagraphBreak().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim())
            .Where(p => p.Trim().Length > 0)
            .Select(p => (IReadOnlyList<string>)[.. p.Split('\n').Select(l => l.TrimEnd())]);

    private static string? UnknownPlaceholder(string text) =>
        AnyPlaceholder().Matches(text).Select(m => m.Value).FirstOrDefault(p => !Placeholders.Contains(p, StringComparer.Ordinal));

    private static string UnknownMessage(string placeholder) =>
        $"Den Platzhalter „{placeholder}“ gibt es nicht. Möglich sind {string.Join(", ", Placeholders)}.";

    [GeneratedRegex(@"\{[^{}\r\n]*\}")]
    private static partial Regex AnyPlaceholder();

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex ParagraphBreak();
}
