using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Writes the plain-text and the HTML part side by side from the same calls, so both always say the same.
/// All text is encoded for HTML here (names are user input); the HTML has inline styles only and loads nothing.
/// </summary>
internal sealed class MailBody
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _text = new();
    private readonly StringBuilder _html = new();

    public MailBody(string title)
    {
        _html.Append("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff;\">\n")
            .Append("<div style=\"max-width:40em;\">\n");
    }

    public MailBody Paragraph(string text)
    {
        _text.Append(text).Append("\n\n");
        _html.Append("<p style=\"margin:0 0 1em;\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    public MailBody Heading(string text)
    {
        _text.Append(text).Append('\n').Append(new string('=', text.Length)).Append("\n\n");
        _html.Append("<h2 style=\"font-size:1.15em;margin:1.5em 0 0.5em;\">").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    /// <summary>Label/value lines ("Datum: Mittwoch, 11. März 2026").</summary>
    public MailBody Facts(IEnumerable<(string Label, string Value)> facts)
    {
        _html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 1em;\">\n");
        foreach (var (label, value) in facts)
        {
            _text.Append(label).Append(": ").Append(value).Append('\n');
            _html.Append("<tr><td style=\"padding:2px 12px 2px 0;vertical-align:top;font-weight:bold;\">").Append(Encode(label))
                .Append(":</td><td style=\"padding:2px 0;vertical-align:top;\">").Append(Linkify(value)).Append("</td></tr>\n");
        }

        _text.Append('\n');
        _html.Append("</table>\n");
        return this;
    }

    /// <summary>Plain lines, e.g. the agenda or an address block.</summary>
    public MailBody Lines(IEnumerable<string> lines)
    {
        var all = lines.ToList();
        _text.AppendJoin('\n', all).Append("\n\n");
        _html.Append("<p style=\"margin:0 0 1em;\">").AppendJoin("<br>\n", all.Select(Linkify)).Append("</p>\n");
        return this;
    }

    /// <summary>A sentence followed by an address on its own line (clients make it clickable in the text part).</summary>
    public MailBody Link(string sentence, Uri url)
    {
        _text.Append(sentence).Append('\n').Append(url.AbsoluteUri).Append("\n\n");
        _html.Append("<p style=\"margin:0 0 1em;\">").Append(Encode(sentence)).Append("<br>\n<a href=\"").Append(Encode(url.AbsoluteUri))
            .Append("\" style=\"color:#00508c;\">").Append(Encode(url.AbsoluteUri)).Append("</a></p>\n");
        return this;
    }

    public MailBody Footer(string text)
    {
        _text.Append("-- \n").Append(text).Append('\n');
        _html.Append("<hr style=\"border:0;border-top:1px solid #999;margin:2em 0 1em;\">\n<p style=\"margin:0;font-size:0.9em;color:#4a4a4a;\">")
            .Append(Encode(text)).Append("</p>\n");
        return this;
    }

    public string Text => _text.ToString().Replace("\n", "\r\n", StringComparison.Ordinal);

    public string Html => _html.ToString() + "</div>\n</body>\n</html>\n";

    private static string Encode(string text) => Encoder.Encode(text);

    /// <summary>Encodes, then turns a value that is exactly an address (web or mail) into a link.</summary>
    private static string Linkify(string value)
    {
        var encoded = Encode(value);
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            return $"<a href=\"{encoded}\" style=\"color:#00508c;\">{encoded}</a>";
        }

        if (value.Contains('@', StringComparison.Ordinal) && !value.Contains(' ', StringComparison.Ordinal))
        {
            return $"<a href=\"mailto:{encoded}\" style=\"color:#00508c;\">{encoded}</a>";
        }

        return encoded;
    }
}
