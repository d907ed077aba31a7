using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>What every mail of the site shares: sender and headers, the text and HTML body, and the outbox row.</summary>
internal static class MailEnvelope
{
    /// <summary>
    /// To the address only: a name typed into a public form must not speak in the To line of a mail from the KTS address.
    /// Auto-Submitted and X-Auto-Response-Suppress keep out-of-office replies from answering a mail no one reads.
    /// </summary>
    public static MimeMessage New(string from, string host, DateTimeOffset now, string to, string subject, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = now;
        message.MessageId = messageId ?? MimeUtils.GenerateMessageId(host);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add(HeaderId.ContentLanguage, "de");
        return message;
    }

    public static MultipartAlternative Alternative(MailBody body)
    {
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, body.Text);
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        var html = new TextPart("html");
        html.SetText(Encoding.UTF8, body.Html);
        html.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        return new MultipartAlternative { text, html };
    }

    /// <summary>The message as a pending outbox row; the Message-ID ties the row to its .eml file in the pickup folder.</summary>
    public static OutboxMessage ToOutbox(MimeMessage message, MailKind kind, DateTime nowUtc, int? registrationId = null)
    {
        var recipient = message.To.Mailboxes.First().Address;
        return new OutboxMessage
        {
            RegistrationId = registrationId,
            Kind = kind,
            Recipient = recipient,
            RecipientKey = MailAddresses.InboxKey(recipient),
            MessageId = message.MessageId,
            Subject = message.Subject ?? "",
            Mime = Bytes(message),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = nowUtc,
            NextAttemptAtUtc = nowUtc,
        };
    }

    /// <summary>The message as it goes on the wire.</summary>
    public static byte[] Bytes(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        // CRLF throughout, as on the wire: the .eml files and the calendar parts keep their line endings.
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, buffer);
        return buffer.ToArray();
    }
}
