using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Composes the mails to a participant and wraps them as outbox rows. The caller adds the row to the same
/// DbContext and transaction as the change that causes the mail.
/// PLACEHOLDER: plain text only; the mail feature replaces the body with text + HTML + calendar invite.
/// </summary>
public sealed class ConfirmationMail(SiteUrls urls, RegistrationTokens tokens, IConfiguration configuration, TimeProvider clock)
{
    public OutboxMessage Create(MailKind kind, Registration registration, Event ev)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(configuration["Mail:From"] ?? "smartekommunen@iqib.de"));
        message.To.Add(new MailboxAddress(registration.FullName, registration.Email));
        message.Subject = $"{kind}: {ev.Series} am {GermanDates.ShortDate(ev.Date)}";
        message.Body = new TextPart("plain") { Text = $"Ihre Anmeldung: {urls.Registration(tokens.TokenFor(registration))}" };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        var now = clock.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Registration = registration,
            Kind = kind,
            Recipient = registration.Email,
            Subject = message.Subject,
            Mime = buffer.ToArray(),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
