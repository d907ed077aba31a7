using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;

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

        var message = MailEnvelope.New(options.Value.From, urls.Host, clock.GetUtcNow(), address, subject);
        message.Body = MailEnvelope.Alternative(body);
        return MailEnvelope.ToOutbox(message, MailKind.StaffAccount, clock.GetUtcNow().UtcDateTime);
    }
}
