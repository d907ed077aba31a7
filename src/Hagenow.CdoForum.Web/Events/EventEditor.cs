using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

public enum EditStatus
{
    Done,

    /// <summary>A rule failed: <see cref="EditOutcome.Errors"/> says which fields; nothing was written.</summary>
    Invalid,

    /// <summary>Someone saved the event after the form was loaded: nothing was written.</summary>
    Conflict,

    /// <summary>The event's state does not allow it (publish twice, withdraw with registrations).</summary>
    NotPossible,

    NotFound,

    /// <summary>Nothing saved: the change reaches registrants, and staff have not yet confirmed that they are mailed.</summary>
    ConfirmNotice,
}

/// <param name="Before">The event as it was before a save; null for a new event.</param>
/// <param name="ChangedFields">JSON names of the fields a save changed ("date", "agenda", …).</param>
/// <param name="Changes">With <see cref="EditStatus.ConfirmNotice"/>: the material changes registrants would be told.</param>
/// <param name="Affected">How many registrants a material change reaches (to confirm), or reached (once saved).</param>
public sealed record EditOutcome(EditStatus Status, Event? Event = null, IReadOnlyList<FieldError>? Errors = null,
    EventDocument? Before = null, IReadOnlyList<string>? ChangedFields = null, IReadOnlyList<EventChange>? Changes = null,
    int Affected = 0)
{
    public IReadOnlyList<FieldError> Errors { get; } = Errors ?? [];

    public IReadOnlyList<string> ChangedFields { get; } = ChangedFields ?? [];
}

/// <summary>
/// Creating, copying, saving, publishing and withdrawing events from the staff area. Each method is one write with its
/// audit entry. The version the staff member's form was based on (<see cref="Event.Sequence"/>) must still be the
/// current one, or the change is refused: two people editing the same event never overwrite each other silently.
/// </summary>
public sealed class EventEditor(CdoForumDbContext db, IEventHeadcount headcount, TimeProvider clock, IEventChangeNotifier? notifier = null)
{
    /// <summary>"cdo-forum-2026-04-08": the slug the form proposes for a date.</summary>
    public static string ProposeSlug(DateOnly date) => $"cdo-forum-{date:yyyy-MM-dd}";

    /// <summary>The same weekday four weeks after the template, and again four weeks on until it is not in the past.</summary>
    public static DateOnly ProposeDate(DateOnly templateDate, DateOnly today)
    {
        var date = templateDate.AddDays(28);
        while (date < today)
        {
            date = date.AddDays(28);
        }

        return date;
    }

    /// <summary>
    /// A draft that copies everything of the template (texts, agenda, speakers, organiser, funders, format, capacity)
    /// except date, slug, registrations and online access. A deadline moves with the date.
    /// </summary>
    public async Task<EditOutcome> CopyAsync(int templateId, string? slug, string? date, string actor, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var template = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == templateId, cancellationToken);
        if (template is null)
        {
            return new EditOutcome(EditStatus.NotFound);
        }

        var document = EventDocument.FromEvent(template) with { Slug = slug, Date = date, OnlineAccess = null };
        if (template.RegistrationDeadline is { } deadline
            && DateOnly.TryParseExact(date?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var newDate))
        {
            var moved = deadline.AddDays(newDate.DayNumber - template.Date.DayNumber);
            document = document with { RegistrationDeadline = moved.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) };
        }

        var trimmed = slug?.Trim();
        var taken = trimmed is not null && await db.Events.AnyAsync(e => e.Slug == trimmed, cancellationToken);
        var check = EventRules.Check(document, new EventRuleContext(SlugTaken: taken));
        if (!check.IsValid)
        {
            return new EditOutcome(EditStatus.Invalid, Errors: check.Errors);
        }

        var copy = new Event { Slug = "", Series = "", Title = "", Published = false, UpdatedAtUtc = clock.GetUtcNow().UtcDateTime };
        EventRules.CopyContent(check.Values!, copy);
        db.Events.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock, actor, AuditAction.EventCopied, copy.Id, details: $"Vorlage: Veranstaltung {template.Id}");
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new EditOutcome(EditStatus.Done, copy);
    }

    /// <summary>
    /// Saves the editor's form. The one place where an event's content changes from the staff area: it compares old and
    /// new (<see cref="EditOutcome.Before"/>, <see cref="EditOutcome.ChangedFields"/>), so telling registrants about a
    /// changed date, time or place can hook in here.
    /// </summary>
    /// <param name="notifyConfirmed">Staff saw "N Personen werden benachrichtigt" and confirmed; without it a material change
    /// of a published event with registrants is not saved but answered with <see cref="EditStatus.ConfirmNotice"/>.</param>
    public async Task<EditOutcome> SaveAsync(int eventId, int version, EventDocument document, string actor, CancellationToken cancellationToken,
        bool notifyConfirmed = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var (ev, refused) = await CurrentAsync(eventId, version, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var slug = document.Slug?.Trim();
        var taken = slug is not null && await db.Events.AnyAsync(e => e.Slug == slug && e.Id != eventId, cancellationToken);
        var counts = await headcount.CountAsync(eventId, cancellationToken);
        var check = EventRules.Check(document, new EventRuleContext(counts.Confirmed, taken, ev.Published ? ev.Slug : null));
        if (!check.IsValid)
        {
            return new EditOutcome(EditStatus.Invalid, ev, check.Errors);
        }

        var before = EventDocument.FromEvent(ev);
        var factsBefore = EventFacts.Of(ev);
        EventRules.CopyContent(check.Values!, ev);
        var changed = EventDocumentDiff.ChangedFields(before, EventDocument.FromEvent(ev));
        if (changed.Count == 0)
        {
            return new EditOutcome(EditStatus.Done, ev, Before: before);
        }

        var changes = EventFacts.Between(factsBefore, EventFacts.Of(ev));
        var affected = ev.Published && changes.Count > 0 && notifier is not null ? await notifier.CountAffectedAsync(ev.Id, cancellationToken) : 0;
        if (affected > 0 && !notifyConfirmed)
        {
            // Returning without a commit rolls the write back; the form keeps what staff typed.
            return new EditOutcome(EditStatus.ConfirmNotice, ev, Before: before, ChangedFields: changed, Changes: changes, Affected: affected);
        }

        ev.Sequence++;
        ev.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        var notified = affected > 0 ? await notifier!.NotifyChangeAsync(ev, factsBefore, cancellationToken) : 0;
        AuditLog.Record(db, clock, actor, AuditAction.EventSaved, ev.Id,
            details: $"geändert: {string.Join(", ", changed)}" + (notified > 0 ? $"; {notified} Personen benachrichtigt" : ""));
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new EditOutcome(EditStatus.Done, ev, Before: before, ChangedFields: changed, Changes: changes, Affected: notified);
    }

    /// <summary>Makes a draft public. The draft passed the rules when saved; they are checked again all the same.</summary>
    public async Task<EditOutcome> PublishAsync(int eventId, int version, string actor, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var (ev, refused) = await CurrentAsync(eventId, version, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (ev.Published)
        {
            return new EditOutcome(EditStatus.NotPossible, ev);
        }

        var taken = await db.Events.AnyAsync(e => e.Slug == ev.Slug && e.Id != eventId, cancellationToken);
        var check = EventRules.Check(EventDocument.FromEvent(ev), new EventRuleContext(SlugTaken: taken));
        if (!check.IsValid)
        {
            return new EditOutcome(EditStatus.Invalid, ev, check.Errors);
        }

        ev.Published = true;
        ev.Sequence++;
        ev.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        AuditLog.Record(db, clock, actor, AuditAction.EventPublished, ev.Id);
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new EditOutcome(EditStatus.Done, ev);
    }

    /// <summary>Back to draft, only while nobody has registered (a registrant's link and calendar entry must keep working).</summary>
    public async Task<EditOutcome> UnpublishAsync(int eventId, int version, string actor, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var (ev, refused) = await CurrentAsync(eventId, version, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!await CanUnpublishAsync(ev, cancellationToken))
        {
            return new EditOutcome(EditStatus.NotPossible, ev);
        }

        ev.Published = false;
        ev.Sequence++;
        ev.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        AuditLog.Record(db, clock, actor, AuditAction.EventUnpublished, ev.Id);
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new EditOutcome(EditStatus.Done, ev);
    }

    /// <summary>Whether the event may go back to draft: nobody has registered, not even someone who cancelled since.</summary>
    public async Task<bool> CanUnpublishAsync(Event ev, CancellationToken cancellationToken) =>
        ev.Published && (await headcount.CountAsync(ev.Id, cancellationToken)).Any == 0;

    /// <summary>The event, tracked, if it still has the version the form was based on; else why not.</summary>
    private async Task<(Event Event, EditOutcome? Refused)> CurrentAsync(int eventId, int version, CancellationToken cancellationToken)
    {
        var ev = await db.Events.SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        return ev is null ? (null!, new EditOutcome(EditStatus.NotFound))
            : ev.Sequence != version ? (ev, new EditOutcome(EditStatus.Conflict, ev))
            : (ev, null);
    }
}
