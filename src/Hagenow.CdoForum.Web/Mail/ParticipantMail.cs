using System.Text;
using Hagenow.CdoForum.Web.Calendar;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Who a participant mail goes to, and the address of their own registration page.</summary>
public sealed record MailRecipient(string Email, string FirstName, string LastName, Uri OwnPage)
{
    public string FullName => $"{FirstName} {LastName}";
}

/// <summary>
/// Composes the mails to a participant and wraps them as outbox rows. The caller adds the row to the same
/// DbContext and transaction as the change that causes the mail, so both are stored together or not at all.
/// </summary>
public sealed class ParticipantMail(
    SiteUrls urls,
    IOptions<MailOptions> options,
    EventCalendar calendar,
    TimeProvider clock)
{
    /// <summary>
    /// The row of a mail that is composed when it is sent (<see cref="OutboxMessage.ComposeWhenSent"/>): no body, but its
    /// Message-ID and date already. Not yet linked to a registration: the registration feature links it (a new one has
    /// no id yet).
    /// </summary>
    public OutboxMessage Later(MailKind kind, string email, Event ev, int? waitingPosition = null)
    {
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Kind = kind,
            Recipient = email,
            RecipientKey = MailAddresses.InboxKey(email),
            MessageId = MimeUtils.GenerateMessageId(urls.Host),
            Subject = Subject(kind, ev),
            ComposeWhenSent = true,
            WaitingPosition = waitingPosition,
            Status = OutboxStatus.Pending,
            CreatedAtUtc = nowUtc,
            NextAttemptAtUtc = nowUtc,
        };
    }

    /// <summary>
    /// The message of a row written by <see cref="Later"/>, for the recipient and the event as they are now; it goes to
    /// the address on the row, which staff see in the outbox.
    /// </summary>
    public byte[] Compose(OutboxMessage row, MailRecipient recipient, Event ev)
    {
        var date = new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAtUtc, DateTimeKind.Utc));
        return MailEnvelope.Bytes(Message(row.Kind, recipient with { Email = row.Recipient }, ev, row.WaitingPosition, date, row.MessageId));
    }

    private MimeMessage Message(MailKind kind, MailRecipient recipient, Event ev, int? waitingPosition, DateTimeOffset date, string? messageId)
    {
        var method = kind switch
        {
            MailKind.Confirmation or MailKind.MovedUp => CalendarMethod.Request,
            MailKind.Cancellation => CalendarMethod.Cancel,
            _ => (CalendarMethod?)null,
        };
        return Compose(Subject(kind, ev), recipient, Body(kind, recipient, ev, waitingPosition), ev, method, date, messageId);
    }

    /// <summary>
    /// "Änderung": what changed (old → new) and the event as it is now. <paramref name="withInvite"/> (confirmed
    /// participants) adds the updated invite (METHOD:REQUEST, same UID, the event's higher SEQUENCE) and the access details.
    /// </summary>
    public OutboxMessage CreateChange(MailRecipient recipient, Event ev, IReadOnlyList<EventChange> changes, bool withInvite)
    {
        var subject = $"Änderung: {ev.Series} am {GermanDates.ShortDate(ev.Date)}";
        var body = new MailBody(subject)
            .Paragraph($"Guten Tag {recipient.FullName},")
            .Paragraph($"für das {ev.Series}, zu dem Sie angemeldet sind, haben sich folgende Angaben geändert:")
            .Facts(changes.Select(c => (c.Label, c.Fact == EventFact.OnlineAccess && !withInvite
                ? "geändert (Sie erhalten die Zugangsdaten mit Ihrer Platzbestätigung)"
                : $"bisher {c.Old} → jetzt {c.New}")))
            .Paragraph(withInvite
                ? "Die aktualisierte Einladung in dieser E-Mail ersetzt den bisherigen Termin in Ihrem Kalender. Ihre Anmeldung bleibt bestehen."
                : "Sie stehen weiterhin auf der Warteliste. Wird ein Platz frei, erhalten Sie eine E-Mail mit der Kalendereinladung.")
            .Heading(ev.Title)
            .Facts(Facts(ev, withInvite));
        Closing(body, recipient, ev, "Ihre Anmeldung können Sie jederzeit hier ansehen oder stornieren:");
        return Wrap(MailKind.Change, Compose(subject, recipient, body, ev, withInvite ? CalendarMethod.Request : null));
    }

    /// <summary>"Absage": the event does not take place; METHOD:CANCEL removes it from the recipient's calendar.</summary>
    public OutboxMessage CreateEventCancelled(MailRecipient recipient, Event ev)
    {
        var subject = $"Absage: {ev.Series} am {GermanDates.ShortDate(ev.Date)}";
        var body = new MailBody(subject)
            .Paragraph($"Guten Tag {recipient.FullName},")
            .Paragraph($"leider müssen wir das {ev.Series} am {GermanDates.LongDate(ev.Date)} absagen. Die Veranstaltung findet nicht statt.");
        if (ev.CancellationReason is { Length: > 0 } reason)
        {
            body.Facts([("Grund", reason)]);
        }

        body.Paragraph("Mit der Absage in dieser E-Mail entfernt Ihr Kalenderprogramm den Termin. Sie müssen nichts weiter tun.")
            .Heading(ev.Title)
            .Facts(Facts(ev, withAccess: false));
        Closing(body, recipient, ev, "Ihre Anmeldung können Sie hier weiterhin einsehen:");
        return Wrap(MailKind.EventCancelled, Compose(subject, recipient, body, ev, CalendarMethod.Cancel));
    }

    /// <summary>A message from staff; subject and text are already checked and filled in for this recipient (<see cref="MessageTemplate"/>).</summary>
    public OutboxMessage CreateMessage(MailRecipient recipient, Event ev, string subject, string text)
    {
        var body = new MailBody(subject);
        foreach (var paragraph in MessageTemplate.Paragraphs(text))
        {
            body.Lines(paragraph);
        }

        body.Heading(ev.Title).Facts([("Datum", GermanDates.LongDate(ev.Date)), ("Uhrzeit", GermanDates.TimeRange(ev.StartTime, ev.EndTime))]);
        Closing(body, recipient, ev, "Ihre Anmeldung:");
        return Wrap(MailKind.Message, Compose(subject, recipient, body, ev, null));
    }

    private OutboxMessage Wrap(MailKind kind, MimeMessage message) => MailEnvelope.ToOutbox(message, kind, clock.GetUtcNow().UtcDateTime);

    private void Closing(MailBody body, MailRecipient recipient, Event ev, string ownPageSentence)
    {
        body.Link(ownPageSentence, recipient.OwnPage)
            .Paragraph("Bitte geben Sie diesen Link nicht weiter: Er öffnet Ihre Anmeldung ohne Passwort.")
            .Link("Alle Informationen zur Veranstaltung:", urls.Event(ev.Slug));
        body.Heading("Kontakt").Lines(ContactLines(ev.Organiser));
        body.Footer("Diese E-Mail wurde automatisch versandt, weil Ihre E-Mail-Adresse für diese Veranstaltung angegeben wurde.");
    }

    public static string Subject(MailKind kind, Event ev)
    {
        var on = $"{ev.Series} am {GermanDates.ShortDate(ev.Date)}";
        return kind switch
        {
            MailKind.Confirmation => $"Anmeldebestätigung: {on}",
            MailKind.WaitingList => $"Warteliste: {on}",
            MailKind.MovedUp => $"Nachgerückt – Ihr Platz ist bestätigt: {on}",
            MailKind.Cancellation => $"Stornierung Ihrer Anmeldung: {on}",
            MailKind.LinkAgain => $"Ihr Anmeldelink: {on}",
            MailKind.Reminder => $"Erinnerung: {ev.Series} morgen, {GermanDates.LongDate(ev.Date)}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private MimeMessage Compose(
        string subject, MailRecipient recipient, MailBody body, Event ev, CalendarMethod? method, DateTimeOffset? date = null, string? messageId = null)
    {
        var message = MailEnvelope.New(options.Value.From, urls.Host, date ?? clock.GetUtcNow(), recipient.Email, subject, messageId);
        var alternative = MailEnvelope.Alternative(body);

        if (method is not { } calendarMethod)
        {
            message.Body = alternative;
            return message;
        }

        // The Outlook/Gmail way: the invite as an alternative body (clients show accept/"add" buttons from it)
        // and the same file as attachment for clients that only look there.
        var ics = calendar.Invite(ev, calendarMethod, new CalendarAttendee(recipient.Email, recipient.FullName), includeOnlineAccess: calendarMethod == CalendarMethod.Request);
        var methodName = calendarMethod.ToString().ToUpperInvariant();
        var invite = new TextPart("calendar");
        invite.SetText(Encoding.UTF8, ics);
        invite.ContentType.Parameters.Add("method", methodName);
        invite.ContentTransferEncoding = ContentEncoding.Base64;
        alternative.Add(invite);

        var fileName = calendarMethod == CalendarMethod.Cancel ? "absage.ics" : "einladung.ics";
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName,
        };
        message.Body = new Multipart("mixed") { alternative, attachment };
        return message;
    }

    private MailBody Body(MailKind kind, MailRecipient recipient, Event ev, int? waitingPosition)
    {
        var body = new MailBody(Subject(kind, ev))
            .Paragraph($"Guten Tag {recipient.FullName},");

        switch (kind)
        {
            case MailKind.Confirmation:
                body.Paragraph($"vielen Dank für Ihre Anmeldung zum {ev.Series}. Ihr Platz ist bestätigt.")
                    .Paragraph("Den Termin können Sie mit der Einladung in dieser E-Mail in Ihren Kalender übernehmen.");
                break;
            case MailKind.WaitingList:
                body.Paragraph($"vielen Dank für Ihr Interesse am {ev.Series}. Alle Plätze sind zurzeit vergeben, "
                    + (waitingPosition is { } position ? $"Sie stehen auf Platz {position} der Warteliste." : "Sie stehen auf der Warteliste."))
                    .Paragraph("Wird ein Platz frei, rücken Sie automatisch nach und erhalten eine E-Mail mit der Kalendereinladung. "
                        + "Sie müssen nichts weiter tun.");
                break;
            case MailKind.MovedUp:
                body.Paragraph($"gute Nachricht: Für das {ev.Series} ist ein Platz frei geworden. Sie sind von der Warteliste nachgerückt, Ihr Platz ist bestätigt.")
                    .Paragraph("Den Termin können Sie mit der Einladung in dieser E-Mail in Ihren Kalender übernehmen.");
                break;
            case MailKind.Cancellation:
                body.Paragraph($"Ihre Anmeldung zum {ev.Series} am {GermanDates.ShortDate(ev.Date)} ist storniert.")
                    .Paragraph("Mit der Absage in dieser E-Mail entfernt Ihr Kalenderprogramm den Termin. "
                        + "Solange die Anmeldung geöffnet ist, können Sie sich jederzeit erneut anmelden.");
                break;
            case MailKind.LinkAgain:
                body.Paragraph($"Sie haben den Link zu Ihrer Anmeldung zum {ev.Series} angefordert. Sie finden ihn unten.");
                break;
            case MailKind.Reminder:
                body.Paragraph($"wir freuen uns, Sie morgen beim {ev.Series} begrüßen zu dürfen. Hier noch einmal alles Wichtige.");
                break;
        }

        var withAccess = kind is MailKind.Confirmation or MailKind.MovedUp or MailKind.Reminder;
        body.Heading(ev.Title).Facts(Facts(ev, withAccess));

        if (kind != MailKind.Cancellation && ev.Agenda.Count > 0)
        {
            body.Heading("Programm").Lines(ev.Agenda.Select(EventTexts.AgendaLine));
        }

        Closing(body, recipient, ev, kind == MailKind.Cancellation
            ? "Ihre Anmeldung können Sie hier weiterhin einsehen:"
            : "Ihre Anmeldung können Sie jederzeit hier ansehen oder stornieren:");
        return body;
    }

    private static IEnumerable<(string, string)> Facts(Event ev, bool withAccess)
    {
        yield return ("Datum", GermanDates.LongDate(ev.Date));
        yield return ("Uhrzeit", GermanDates.TimeRange(ev.StartTime, ev.EndTime));
        if (ev.Format != EventFormat.Online && ev.Location is { Length: > 0 } place)
        {
            yield return ("Ort", place);
        }

        if (ev.Format != EventFormat.InPerson)
        {
            var platform = ev.Format == EventFormat.Online && ev.Location is { Length: > 0 } name ? $"online ({name})" : "online";
            yield return ("Teilnahme", platform);
            if (withAccess)
            {
                yield return ("Zugang", ev.OnlineAccess is { Length: > 0 } access
                    ? access
                    : "Die Zugangsdaten senden wir Ihnen rechtzeitig vor der Veranstaltung per E-Mail.");
            }
        }
    }

    private static IEnumerable<string> ContactLines(Organiser organiser)
    {
        if (organiser.ContactNote is { Length: > 0 } note)
        {
            yield return note;
        }

        yield return EventTexts.OrganiserName(organiser);
        foreach (var line in organiser.CareOf)
        {
            yield return line;
        }

        foreach (var (label, value) in EventTexts.ContactLines(organiser))
        {
            yield return $"{label}: {value}";
        }
    }
}
