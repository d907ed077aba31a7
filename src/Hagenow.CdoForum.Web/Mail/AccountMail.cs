using System.Text;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// A short notice to a staff account (second factor set up, recovery code used, second factor reset), composed from
/// plain values. The caller adds the row in the same write as the audit entry it belongs to.
/// </summary>
public sealed class AccountMail(SiteUrls urls, IOptions<MailOptions> options, TimeProvider clock)
{
    public OutboxMessage Create(string address, string subject, IEnumerable<string> paragraphs)
    {
        var body = new MailBody(subject).Paragraph("Guten Tag,");
        foreach (var paragraph in paragraphs)
        {
            body.Paragraph(paragraph);
        }

        body.Paragraph("Waren Sie das nicht? Dann melden Sie sich bitte sofort bei der Administration der KTS.")
            .Footer("Diese E-Mail wurde automatisch versandt, weil sich an Ihrem Konto für den internen Bereich etwas geändert hat.");

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        message.Date = clock.GetUtcNow();
        message.MessageId = MimeUtils.GenerateMessageId(urls.Host);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add(HeaderId.ContentLanguage, "de");
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, body.Text);
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        var html = new TextPart("html");
        html.SetText(Encoding.UTF8, body.Html);
        html.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        message.Body = new MultipartAlternative { text, html };

        using var buffer = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, buffer);
        var now = clock.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Kind = MailKind.StaffAccount,
            Recipient = address,
            RecipientKey = MailAddresses.InboxKey(address),
            MessageId = message.MessageId,
            Subject = subject,
            Mime = buffer.ToArray(),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
