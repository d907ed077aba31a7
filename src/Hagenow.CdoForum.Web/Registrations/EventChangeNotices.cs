using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Registrations;

public enum EventCancelOutcome
{
    Cancelled,
    NotFound,
    AlreadyCancelled,
    HasEnded,
    InvalidReason,
}

public sealed record EventCancelResult(EventCancelOutcome Outcome, int Notified = 0, string? Error = null);

/// <summary>Who a message to participants goes to; a person in two chosen groups gets it once.</summary>
public enum MessageGroup
{
    Confirmed,
    Waiting,
    Attended,
    ConfirmedNotAttended,
}

public sealed record MessageDraft(IReadOnlyCollection<MessageGroup> Groups, string? Subject, string? Text);

/// <summary>
/// The answer to a draft: errors by field ("Groups", "Subject", "Text"), how many people it reaches, and the
/// message as the first of them would read it.
/// </summary>
public sealed record MessagePreview(IReadOnlyDictionary<string, string> Errors, int RecipientCount, string? RecipientName, string? Subject, string? Text)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Tells the people who registered what happened to their event: an "Änderung" with an updated invite when a fact
/// that matters changes, an "Absage" with METHOD:CANCEL when the event is called off, and messages staff write.
/// Every mail is written to the outbox in the same transaction as the change or the decision that causes it.
/// </summary>
public sealed class EventChangeNotices(CdoForumDbContext db, RegistrationMails mails, TimeProvider clock) : IEventChangeNotifier
{
    /// <summary>
    /// A change mail waits this long before it is sent: further saves in that time rewrite it with the newest state,
    /// and a change undone in that time drops it.
    /// </summary>
    public static readonly TimeSpan FoldWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Inside the caller's write, before its SaveChanges: <paramref name="changed"/> is the tracked event in its new
    /// state, <paramref name="before"/> its facts before this save. Returns how many people will get a change mail.
    /// </summary>
    public async Task<int> NotifyChangeAsync(Event changed, EventFacts before, CancellationToken cancellationToken)
    {
        if (changed.IsCancelled)
        {
            return 0;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var eventId = changed.Id;
        var current = EventFacts.Of(changed);
        await FollowRemindersAsync(eventId, before, current, cancellationToken);

        // Held back and not yet tried: these can still be rewritten. A row already due may be on its way out; it
        // described the state before this save, so the new mail starts from there.
        var held = await db.OutboxMessages
            .Where(m => m.Kind == MailKind.Change && m.Status == OutboxStatus.Pending && m.Attempts == 0 && m.NextAttemptAtUtc > now
                && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
            .ToListAsync(cancellationToken);
        var baseline = held.Count > 0 ? EventFacts.FromJson(changed.NoticeBaseline) ?? before : before;
        var dueAt = held.Count > 0 ? held.Min(m => m.NextAttemptAtUtc) : now + FoldWindow;
        db.OutboxMessages.RemoveRange(held);

        var changes = EventFacts.Between(baseline, current);
        if (changes.Count == 0)
        {
            changed.NoticeBaseline = null;
            return 0;
        }

        var registrations = await ActiveAsync(eventId, cancellationToken);
        foreach (var registration in registrations)
        {
            var message = mails.CreateChange(registration, changed, changes);
            message.NextAttemptAtUtc = dueAt;
            db.OutboxMessages.Add(message);
        }

        changed.NoticeBaseline = registrations.Count > 0 ? baseline.ToJson() : null;
        return registrations.Count;
    }

    /// <summary>How many people a change of this event would notify now (for "N Personen werden benachrichtigt").</summary>
    public Task<int> CountAffectedAsync(int eventId, CancellationToken cancellationToken) =>
        db.Registrations.CountAsync(r => r.EventId == eventId && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Waiting), cancellationToken);

    /// <summary>
    /// Calls the event off: closes registration, marks it cancelled in every calendar file, and sends every confirmed
    /// and waiting person an "Absage" with METHOD:CANCEL. Reminders and change mails not yet sent are dropped.
    /// </summary>
    public async Task<EventCancelResult> CancelEventAsync(string slug, string? reason, string actor, CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (ReasonError(reason) is { } error)
        {
            return new EventCancelResult(EventCancelOutcome.InvalidReason, Error: error);
        }

        await using var write = await db.BeginWriteAsync(cancellationToken);
        var ev = await db.Events.SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (ev is null)
        {
            return new EventCancelResult(EventCancelOutcome.NotFound);
        }

        if (ev.IsCancelled)
        {
            return new EventCancelResult(EventCancelOutcome.AlreadyCancelled);
        }

        var now = clock.GetUtcNow();
        if (ev.HasEnded(now))
        {
            return new EventCancelResult(EventCancelOutcome.HasEnded);
        }

        ev.CancelledAtUtc = now.UtcDateTime;
        ev.CancellationReason = reason;
        ev.NoticeBaseline = null;
        ev.Sequence++;
        ev.UpdatedAtUtc = now.UtcDateTime;
        var eventId = ev.Id;
        db.OutboxMessages.RemoveRange(await db.OutboxMessages
            .Where(m => (m.Kind == MailKind.Change || m.Kind == MailKind.Reminder) && m.Status == OutboxStatus.Pending && m.Attempts == 0
                && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
            .ToListAsync(cancellationToken));

        var registrations = await ActiveAsync(eventId, cancellationToken);
        foreach (var registration in registrations)
        {
            db.OutboxMessages.Add(mails.CreateEventCancelled(registration, ev));
        }

        AuditLog.Record(db, clock, actor, AuditAction.EventCancelled, eventId, details: $"{registrations.Count} Personen benachrichtigt");
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new EventCancelResult(EventCancelOutcome.Cancelled, registrations.Count);
    }

    /// <summary>The German message for a reason that may not be stored, or null.</summary>
    public static string? ReasonError(string? reason) =>
        reason is null ? null
        : reason.Length > EventFacts.MaxReasonLength ? $"Der Grund darf höchstens {EventFacts.MaxReasonLength} Zeichen lang sein (jetzt {reason.Length})."
        : reason.Any(c => char.IsControl(c) && c is not ('\n' or '\r')) ? "Der Grund darf keine Steuerzeichen enthalten."
        : null;

    /// <summary>Checks a draft and shows it as its first recipient would read it; stores nothing.</summary>
    public async Task<MessagePreview> PreviewMessageAsync(int eventId, MessageDraft draft, CancellationToken cancellationToken)
    {
        var (preview, _) = await CheckAsync(eventId, draft, cancellationToken);
        return preview;
    }

    /// <summary>
    /// Queues one mail per recipient and records who sent what to how many (groups, count, the subject as written,
    /// never a name or address). Returns the preview with errors and nothing queued when the draft is refused.
    /// </summary>
    public async Task<MessagePreview> SendMessageAsync(int eventId, MessageDraft draft, string actor, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var (preview, recipients) = await CheckAsync(eventId, draft, cancellationToken);
        if (!preview.IsValid)
        {
            return preview;
        }

        var ev = await db.Events.AsNoTracking().SingleAsync(e => e.Id == eventId, cancellationToken);
        foreach (var registration in recipients)
        {
            db.OutboxMessages.Add(mails.CreateMessage(registration, ev, draft.Subject!, draft.Text!));
        }

        var groups = string.Join(",", draft.Groups.Distinct().Order().Select(g => g.ToString()));
        AuditLog.Record(db, clock, actor, AuditAction.MessageSent, eventId,
            details: $"{recipients.Count} Empfänger; Gruppen: {groups}; Betreff: {draft.Subject!.Trim()}; Textlänge: {draft.Text!.Length}");
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return preview;
    }

    private async Task<(MessagePreview Preview, List<Registration> Recipients)> CheckAsync(int eventId, MessageDraft draft, CancellationToken cancellationToken)
    {
        var errors = MessageTemplate.Validate(draft.Subject, draft.Text);
        var recipients = await RecipientsAsync(eventId, draft.Groups, cancellationToken);
        if (draft.Groups.Count == 0)
        {
            errors["Groups"] = "Bitte wählen Sie mindestens eine Gruppe von Empfängerinnen und Empfängern.";
        }
        else if (recipients.Count == 0)
        {
            errors["Groups"] = "In den gewählten Gruppen ist niemand: Die Nachricht hätte keine Empfängerinnen und Empfänger.";
        }

        if (errors.Count > 0 || recipients.Count == 0)
        {
            return (new MessagePreview(errors, recipients.Count, null, null, null), recipients);
        }

        var first = recipients[0];
        var recipient = mails.Recipient(first);
        return (new MessagePreview(errors, recipients.Count, first.FullName,
            MessageTemplate.Fill(draft.Subject!, recipient).Trim(), MessageTemplate.Fill(draft.Text!, recipient)), recipients);
    }

    private Task<List<Registration>> RecipientsAsync(int eventId, IReadOnlyCollection<MessageGroup> groups, CancellationToken cancellationToken)
    {
        var confirmed = groups.Contains(MessageGroup.Confirmed);
        var waiting = groups.Contains(MessageGroup.Waiting);
        var attended = groups.Contains(MessageGroup.Attended);
        var notAttended = groups.Contains(MessageGroup.ConfirmedNotAttended);
        return db.Registrations.AsNoTracking()
            .Where(r => r.EventId == eventId && r.Status != RegistrationStatus.Cancelled && (
                (confirmed && r.Status == RegistrationStatus.Confirmed)
                || (waiting && r.Status == RegistrationStatus.Waiting)
                || (attended && r.AttendedAtUtc != null)
                || (notAttended && r.Status == RegistrationStatus.Confirmed && r.AttendedAtUtc == null)))
            .OrderBy(r => r.LastName).ThenBy(r => r.FirstName).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
    }

    private Task<List<Registration>> ActiveAsync(int eventId, CancellationToken cancellationToken) =>
        db.Registrations
            .Where(r => r.EventId == eventId && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Waiting))
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// A reminder queued but not sent described the old facts: it is dropped and queued again by the reminder job
    /// (with the new facts, the day before the new date). After a move to another day everyone is reminded again.
    /// </summary>
    private async Task FollowRemindersAsync(int eventId, EventFacts before, EventFacts current, CancellationToken cancellationToken)
    {
        if (EventFacts.Between(before, current).Count == 0)
        {
            return;
        }

        var queued = await db.OutboxMessages
            .Where(m => m.Kind == MailKind.Reminder && m.Status == OutboxStatus.Pending && m.Attempts == 0
                && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId))
            .ToListAsync(cancellationToken);
        db.OutboxMessages.RemoveRange(queued);
        var dropped = queued.Select(m => m.RegistrationId).ToHashSet();
        var dateMoved = before.Date != current.Date;
        var reminded = await db.Registrations.Where(r => r.EventId == eventId && r.ReminderQueuedAtUtc != null).ToListAsync(cancellationToken);
        foreach (var registration in reminded.Where(r => dateMoved || dropped.Contains(r.Id)))
        {
            registration.ReminderQueuedAtUtc = null;
        }
    }
}
