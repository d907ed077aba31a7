using System.Text;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>The facts a certificate mail needs: plain values, no entities of other features.</summary>
public sealed record CertificateLetter(
    int RegistrationId,
    string RecipientEmail,
    string RecipientName,
    string Series,
    string EventTitle,
    string DateText,
    byte[] Pdf,
    string FileName);

/// <summary>Composes the mail that carries a certificate of attendance as a PDF attachment, as an outbox row.</summary>
public sealed class CertificateMail(SiteUrls urls, IOptions<MailOptions> options, TimeProvider clock)
{
    public static string Subject(string series, string dateText) => $"Ihre Teilnahmebescheinigung: {series} am {dateText}";

    public OutboxMessage Create(CertificateLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(new MailboxAddress(letter.RecipientName, letter.RecipientEmail));
        message.Subject = Subject(letter.Series, letter.DateText);
        message.Date = clock.GetUtcNow();
        message.MessageId = MimeUtils.GenerateMessageId(urls.Host);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add(HeaderId.ContentLanguage, "de");

        var body = new MailBody(message.Subject)
            .Paragraph($"Guten Tag {letter.RecipientName},")
            .Paragraph($"vielen Dank für Ihre Teilnahme am {letter.Series} „{letter.EventTitle}“ am {letter.DateText}.")
            .Paragraph("Im Anhang finden Sie Ihre Teilnahmebescheinigung als barrierefreie PDF-Datei. "
                + "Auf der Bescheinigung steht eine Adresse, unter der Ihr Arbeitgeber oder Ihre Fortbildungsstelle die Echtheit prüfen kann.")
            .Footer("Diese E-Mail wurde automatisch versandt, weil Ihre Teilnahme an dieser Veranstaltung vermerkt wurde.");
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, body.Text);
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        var html = new TextPart("html");
        html.SetText(Encoding.UTF8, body.Html);
        html.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        var attachment = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(letter.Pdf)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = letter.FileName },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = letter.FileName,
        };
        message.Body = new Multipart("mixed") { new MultipartAlternative { text, html }, attachment };

        using var buffer = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, buffer);
        var now = clock.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            RegistrationId = letter.RegistrationId,
            Kind = MailKind.Certificate,
            Recipient = letter.RecipientEmail,
            Subject = message.Subject,
            Mime = buffer.ToArray(),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
