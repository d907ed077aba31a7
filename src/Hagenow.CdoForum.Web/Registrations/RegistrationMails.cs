using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>The mails about a registration: the Mail feature composes them for a recipient record carrying the person's own link.</summary>
public sealed class RegistrationMails(ParticipantMail mail, RegistrationTokens tokens, SiteUrls urls)
{
    private static OutboxMessage Linked(OutboxMessage message, Registration registration)
    {
        message.RegistrationId = registration.Id;
        return message;
    }

    /// <summary>For a new registration (no id yet) the caller adds the row to <see cref="Registration.Mails"/>.</summary>
    public OutboxMessage Create(MailKind kind, Registration registration, Event ev, int? waitingPosition = null)
    {
        var message = mail.Create(kind, Recipient(registration), ev, waitingPosition);
        message.RegistrationId = registration.Id == 0 ? null : registration.Id;
        return message;
    }

    /// <summary>Confirmed people get the updated invite; people on the waiting list have no place in a calendar yet.</summary>
    public OutboxMessage CreateChange(Registration registration, Event ev, IReadOnlyList<EventChange> changes) =>
        Linked(mail.CreateChange(Recipient(registration), ev, changes, withInvite: registration.Status == RegistrationStatus.Confirmed), registration);

    public OutboxMessage CreateEventCancelled(Registration registration, Event ev) =>
        Linked(mail.CreateEventCancelled(Recipient(registration), ev), registration);

    /// <summary>Subject and text as staff wrote them (checked), with the placeholders filled in for this person.</summary>
    public OutboxMessage CreateMessage(Registration registration, Event ev, string subject, string text)
    {
        var recipient = Recipient(registration);
        return Linked(mail.CreateMessage(recipient, ev, MessageTemplate.Fill(subject, recipient).Trim(), MessageTemplate.Fill(text, recipient)), registration);
    }

    public MailRecipient Recipient(Registration registration) =>
        new(registration.Email, registration.FirstName, registration.LastName, urls.Registration(tokens.TokenFor(registration)));
}
