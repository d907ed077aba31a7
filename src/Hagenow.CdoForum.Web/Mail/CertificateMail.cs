using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;
using MimeKit;

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
        var subject = Subject(letter.Series, letter.DateText);
        var message = MailEnvelope.New(options.Value.From, urls.Host, clock.GetUtcNow(), letter.RecipientEmail, subject);

        var body = new MailBody(subject)
            .Paragraph($"Guten Tag {letter.RecipientName},")
            .Paragraph($"vielen Dank für Ihre Teilnahme am {letter.Series} „{letter.EventTitle}“ am {letter.DateText}.")
            .Paragraph("Im Anhang finden Sie Ihre Teilnahmebescheinigung als barrierefreie PDF-Datei. "
                + "Auf der Bescheinigung steht eine Adresse, unter der Ihr Arbeitgeber oder Ihre Fortbildungsstelle die Echtheit prüfen kann.")
            .Footer("Diese E-Mail wurde automatisch versandt, weil Ihre Teilnahme an dieser Veranstaltung vermerkt wurde.");
        var attachment = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(letter.Pdf)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = letter.FileName },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = letter.FileName,
        };
        message.Body = new Multipart("mixed") { MailEnvelope.Alternative(body), attachment };

        return MailEnvelope.ToOutbox(message, MailKind.Certificate, clock.GetUtcNow().UtcDateTime, letter.RegistrationId);
    }
}
