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

    /// <summary>
    /// The row for a mail about the registration, composed when it is sent (<see cref="Compose"/>): writing it costs a
    /// small row, not the whole message. For a new registration (no id yet) the caller adds the row to
    /// <see cref="Registration.Mails"/>.
    /// </summary>
    public OutboxMessage Create(MailKind kind, Registration registration, Event ev, int? waitingPosition = null)
    {
        var message = mail.Later(kind, registration.Email, ev, waitingPosition);
        message.RegistrationId = registration.Id == 0 ? null : registration.Id;
        return message;
    }

    /// <summary>The message of a row from <see cref="Create"/>, for the registration and event as they are now.</summary>
    public byte[] Compose(OutboxMessage row, Registration registration, Event ev) => mail.Compose(row, Recipient(registration), ev);

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
