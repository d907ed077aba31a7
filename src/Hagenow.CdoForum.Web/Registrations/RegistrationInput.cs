using System.Globalization;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Web.Mail;
using MimeKit;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>
/// What a person types into the sign-up form, exactly as posted (every value may be missing or hostile).
/// Property names are the form field names; <see cref="RegistrationFields"/> validates and cleans them.
/// </summary>
public sealed class RegistrationInput
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Organisation { get; set; }

    public string? JobTitle { get; set; }

    public string? Question { get; set; }

    public string? AccessibilityNeeds { get; set; }

    /// <summary>"ja" when the consent box is ticked.</summary>
    public string? Consent { get; set; }

    /// <summary>The honeypot: hidden from people and screen readers, so only robots fill it.</summary>
    public string? Homepage { get; set; }
}

/// <summary>Validated, trimmed values ready to store.</summary>
public sealed record ParticipantDetails(
    string FirstName,
    string LastName,
    string Organisation,
    string? JobTitle);

public sealed record SignUpDetails(
    ParticipantDetails Participant,
    string Email,
    string? Question,
    string? AccessibilityNeeds);

/// <summary>
/// Server-side rules for every registration field, shared by the sign-up form and the participant's correction form.
/// Values are trimmed; over-long input is refused with the limit in the message, never cut; control characters are
/// refused everywhere (line breaks are allowed only in the two multi-line texts, where people press Enter).
/// Errors are keyed by field name and worded for the field and the error summary alike.
/// </summary>
public static partial class RegistrationFields
{
    public const int NameMax = 100;
    public const int EmailMax = 254;
    public const int OrganisationMax = 200;
    public const int JobTitleMax = 150;
    public const int TextMax = 1000;

    public const string ConsentValue = "ja";

    /// <summary>The order of the fields on the form; the error summary lists errors in it.</summary>
    public static readonly IReadOnlyList<string> FormOrder =
    [
        nameof(RegistrationInput.FirstName), nameof(RegistrationInput.LastName), nameof(RegistrationInput.Email),
        nameof(RegistrationInput.Organisation), nameof(RegistrationInput.JobTitle), nameof(RegistrationInput.Question),
        nameof(RegistrationInput.AccessibilityNeeds), nameof(RegistrationInput.Consent),
    ];

    public static int FormPosition(string field)
    {
        for (var i = 0; i < FormOrder.Count; i++)
        {
            if (FormOrder[i] == field)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    public static SignUpDetails? ValidateSignUp(RegistrationInput input, IDictionary<string, string> errors)
    {
        var participant = ValidateParticipant(input, errors);
        var email = ValidateEmail(input.Email, errors);
        var question = Text(input.Question, nameof(RegistrationInput.Question), "Ihre Frage oder Ihr Themenwunsch", TextMax, multiLine: true, errors);
        var needs = Text(input.AccessibilityNeeds, nameof(RegistrationInput.AccessibilityNeeds), "Der Hinweis zur Barrierefreiheit", TextMax, multiLine: true, errors);
        if (!string.Equals(input.Consent, ConsentValue, StringComparison.Ordinal))
        {
            errors[nameof(RegistrationInput.Consent)] =
                "Bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben und mit der Verarbeitung Ihrer Angaben einverstanden sind.";
        }

        return errors.Count == 0 && participant is not null && email is not null
            ? new SignUpDetails(participant, email, question, needs)
            : null;
    }

    public static ParticipantDetails? ValidateParticipant(RegistrationInput input, IDictionary<string, string> errors)
    {
        var before = errors.Count;
        var first = NoAddress(Required(input.FirstName, nameof(RegistrationInput.FirstName), "Geben Sie Ihren Vornamen ein.", "Der Vorname", NameMax, errors),
            nameof(RegistrationInput.FirstName), "Der Vorname", errors);
        var last = NoAddress(Required(input.LastName, nameof(RegistrationInput.LastName), "Geben Sie Ihren Nachnamen ein.", "Der Nachname", NameMax, errors),
            nameof(RegistrationInput.LastName), "Der Nachname", errors);
        var organisation = Required(input.Organisation, nameof(RegistrationInput.Organisation),
            "Geben Sie Ihre Organisation ein (Kommune, Behörde oder Einrichtung).", "Die Organisation", OrganisationMax, errors);
        var jobTitle = Text(input.JobTitle, nameof(RegistrationInput.JobTitle), "Die Funktion", JobTitleMax, multiLine: false, errors);
        return errors.Count == before ? new ParticipantDetails(first!, last!, organisation!, jobTitle) : null;
    }

    /// <summary>Trimmed and lower-cased (invariant): the key for "one active registration per event and address".</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private static string? ValidateEmail(string? value, IDictionary<string, string> errors)
    {
        const string field = nameof(RegistrationInput.Email);
        var email = value?.Trim() ?? "";
        if (email.Length == 0)
        {
            errors[field] = "Geben Sie Ihre E-Mail-Adresse ein.";
            return null;
        }

        if (email.Length > EmailMax)
        {
            errors[field] = $"Die E-Mail-Adresse darf höchstens {EmailMax} Zeichen lang sein.";
            return null;
        }

        if (!IsPlausibleAddress(email))
        {
            errors[field] = "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.";
            return null;
        }

        return email;
    }

    /// <summary>
    /// MimeKit must read it as exactly this one bare address (no display name, no comment, no list), and it must
    /// look deliverable: one @, something before it, a dot inside the domain, no spaces, control or invisible
    /// characters, no source route (<c>%</c>), no address literal (<c>[127.0.0.1]</c>), and a domain that is a valid
    /// IDNA host name (a zero-width space or a stray symbol would otherwise make a "new" address for the same inbox).
    /// </summary>
    public static bool IsPlausibleAddress(string email)
    {
        if (email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || IsInvisible(c) || c is '<' or '>' or ',' or ';' or '(' or ')' or '"' or '%' or '[' or ']'))
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@'))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal) || !MailAddresses.IsValidDomain(domain))
        {
            return false;
        }

        return MailboxAddress.TryParse(email, out var mailbox)
            && string.IsNullOrEmpty(mailbox.Name)
            && string.Equals(mailbox.Address, email, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A name is greeted in every mail from the KTS address ("Guten Tag …"): it must not carry a web or mail address,
    /// or the form becomes a way to send someone a phishing link in our name.
    /// </summary>
    private static string? NoAddress(string? value, string field, string subject, IDictionary<string, string> errors)
    {
        if (value is null || !AddressInText().IsMatch(value))
        {
            return value;
        }

        errors[field] = $"{subject} darf keine Internet- oder E-Mail-Adresse enthalten.";
        return null;
    }

    /// <summary>"://", "www.", an @, or a host-like "name.tld" (letters after the dot, no space): "Dr. Müller" passes, "example.com" does not.</summary>
    [GeneratedRegex(@"://|www\.|@|[\p{L}\p{N}-]\.\p{L}{2,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddressInText();

    /// <summary>Unicode format characters (category Cf): zero-width spaces and joiners, bidi overrides, soft hyphens.</summary>
    private static bool IsInvisible(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static string? Required(string? value, string field, string missing, string subject, int max, IDictionary<string, string> errors)
    {
        var text = Text(value, field, subject, max, multiLine: false, errors);
        if (text is null && !errors.ContainsKey(field))
        {
            errors[field] = missing;
        }

        return text;
    }

    /// <summary>Trims; returns null for empty. <paramref name="subject"/> starts the message, e.g. "Der Vorname".</summary>
    private static string? Text(string? value, string field, string subject, int max, bool multiLine, IDictionary<string, string> errors)
    {
        if (value is null)
        {
            return null;
        }

        var text = multiLine ? value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() : value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Any(c => IsForbidden(c, multiLine)))
        {
            errors[field] = multiLine
                ? $"{subject} enthält unzulässige Steuerzeichen. Bitte geben Sie nur Text ein."
                : $"{subject} darf keine Zeilenumbrüche oder Steuerzeichen enthalten.";
            return null;
        }

        if (text.Any(IsInvisible))
        {
            errors[field] = $"{subject} enthält unsichtbare Zeichen (z. B. ein Leerzeichen ohne Breite oder eine Schreibrichtungsmarke). Bitte geben Sie den Text ohne sie ein.";
            return null;
        }

        if (text.Length > max)
        {
            errors[field] = $"{subject} darf höchstens {Number(max)} Zeichen lang sein (jetzt: {Number(text.Length)}).";
            return null;
        }

        return text;
    }

    /// <summary>"1.000": German digit grouping without relying on the machine's culture data.</summary>
    private static string Number(int value) => value.ToString("#,0", GermanNumbers);

    private static readonly System.Globalization.NumberFormatInfo GermanNumbers = new() { NumberGroupSeparator = "." };

    private static bool IsForbidden(char c, bool multiLine) =>
        (char.IsControl(c) && !(multiLine && c is '\n' or '\t')) || c is '\u2028' or '\u2029';
}
