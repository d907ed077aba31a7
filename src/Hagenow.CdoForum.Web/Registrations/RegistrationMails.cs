using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>The mails about a registration: the Mail feature composes them for a recipient record carrying the person's own link.</summary>
public sealed class RegistrationMails(ParticipantMail mail, RegistrationTokens tokens, SiteUrls urls)
{
    /// <summary>For a new registration (no id yet) the caller adds the row to <see cref="Registration.Mails"/>.</summary>
    public OutboxMessage Create(MailKind kind, Registration registration, Event ev, int? waitingPosition = null)
    {
        var message = mail.Create(kind, Recipient(registration), ev, waitingPosition);
        message.RegistrationId = registration.Id == 0 ? null : registration.Id;
        return message;
    }

    private MailRecipient Recipient(Registration registration) =>
        new(registration.Email, registration.FirstName, registration.LastName, urls.Registration(tokens.TokenFor(registration)));
}
