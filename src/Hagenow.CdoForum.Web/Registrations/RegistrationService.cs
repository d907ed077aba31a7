using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Registrations;

public enum SignUpOutcome
{
    Confirmed,
    Waiting,

    /// <summary>An active registration for this address exists; nothing new stored, the link goes out again (throttled).</summary>
    Duplicate,

    /// <summary>The deadline has passed; nothing stored.</summary>
    Closed,

    EventNotFound,
}

/// <summary>
/// The token is set only for a new registration: the caller redirects to the participant's page with it.
/// <paramref name="MailHeld"/>: the inbox had its share of mails this hour, so none was queued (the action still happened).
/// </summary>
public sealed record SignUpResult(SignUpOutcome Outcome, string? Token = null, bool MailHeld = false);

/// <summary>A participant's cancellation: done or refused, and whether the mail about it was held back by the per-inbox limit.</summary>
public sealed record CancelResult(bool Done, bool MailHeld = false);

/// <summary>How full an event is, for the event page.</summary>
public sealed record Availability(int? Capacity, int Confirmed, int Waiting)
{
    public int? FreePlaces => Capacity is { } capacity ? Math.Max(0, capacity - Confirmed) : null;
}

/// <summary>
/// The single place that decides confirmed or waiting and changes a registration. Every change happens inside one
/// write (<c>db.BeginWriteAsync</c>, BEGIN IMMEDIATE), so the write lock is taken before anything is counted: two
/// sign-ups can never both see the last free place. Sign-ups share their write with the ones queued at the same
/// moment (<see cref="SignUpCommits"/>), decided one after the other. The outbox rows for the mails a change causes, and the
/// audit entry for a staff action, are written in the same transaction.
/// </summary>
public sealed partial class RegistrationService(
    CdoForumDbContext db,
    RegistrationTokens tokens,
    RegistrationMails mails,
    TimeProvider clock,
    SignUpCommits commits,
    OutboxWakeUp outboxWakeUp,
    IOptions<RateLimitOptions> limits,
    ILogger<RegistrationService> logger)
{
    /// <summary>The form sends a person's link again at most this often, so it cannot flood an inbox.</summary>
    public static readonly TimeSpan LinkMailInterval = TimeSpan.FromMinutes(10);

    public async Task<SignUpResult> SignUpAsync(string slug, SignUpDetails details, CancellationToken ct)
    {
        var ev = await EventQueries.PublicBySlugAsync(db, slug);
        return ev is null ? new SignUpResult(SignUpOutcome.EventNotFound) : await SignUpAsync(ev, details, ct);
    }

    /// <summary>
    /// For a caller that has just read the public event (untracked), e.g. the form page: the event is not read again
    /// before the turn; inside it one small query checks that it is unchanged.
    /// </summary>
    public Task<SignUpResult> SignUpAsync(Event ev, SignUpDetails details, CancellationToken ct) =>
        // Decided and committed together with the sign-ups queued at the same moment (group commit); the answer
        // comes after the commit.
        commits.SubmitAsync(Prepare(ev, details, ct));

    /// <summary>As <see cref="SignUpAsync(string, SignUpDetails, CancellationToken)"/> up to the write turn; null when the event is not public.</summary>
    internal async Task<PendingSignUp?> PrepareSignUpAsync(string slug, SignUpDetails details, CancellationToken ct)
    {
        var ev = await EventQueries.PublicBySlugAsync(db, slug);
        return ev is null ? null : Prepare(ev, details, ct);
    }

    /// <summary>
    /// Everything that does not need the write turn: the new registration with its token. Its mail is a small outbox
    /// row written inside the turn; the outbox composes the message when it sends it.
    /// </summary>
    private PendingSignUp Prepare(Event ev, SignUpDetails details, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var registration = new Registration
        {
            EventId = ev.Id,
            FirstName = details.Participant.FirstName,
            LastName = details.Participant.LastName,
            Email = details.Email,
            EmailNormalized = RegistrationFields.NormalizeEmail(details.Email),
            Organisation = details.Participant.Organisation,
            JobTitle = details.Participant.JobTitle,
            Question = details.Question,
            AccessibilityNeeds = details.AccessibilityNeeds,
            AccessKey = "",
            TokenHash = "",
            RegisteredAtUtc = nowUtc,
            UpdatedAtUtc = nowUtc,
        };
        var token = tokens.Assign(registration);
        return new PendingSignUp(ev, registration, token, now, ct);
    }

    /// <summary>
    /// One write for a batch of prepared sign-ups (<see cref="SignUpCommits"/>): each member is decided in order, as if
    /// alone, so the next one counts it; then one save and one commit for all. Throws when any member fails; nothing of
    /// the batch is stored then.
    /// </summary>
    internal async Task<SignUpResult[]> DecideAndCommitAsync(IReadOnlyList<PendingSignUp> members)
    {
        // The batch belongs to many requests: none of them can cancel it half-way.
        var ct = CancellationToken.None;
        var results = new SignUpResult[members.Count];
        var changed = false;
        await using (var transaction = await db.BeginWriteAsync(ct))
        {
            var turn = new SignUpTurn(members);
            for (var i = 0; i < members.Count; i++)
            {
                (results[i], var wrote) = await DecideAsync(members[i], turn, ct);
                changed |= wrote;
            }

            if (changed)
            {
                await SaveUnsavedRowsAsync(turn, ct);
                await transaction.CommitAsync(ct);
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            var registration = members[i].Registration;
            switch (results[i].Outcome)
            {
                case SignUpOutcome.Confirmed or SignUpOutcome.Waiting:
                    LogSignedUp(logger, registration.EventId, registration.Id, registration.Status);
                    if (results[i].MailHeld)
                    {
                        LogMailHeld(logger, registration.EventId, registration.Id);
                    }

                    break;
                case SignUpOutcome.Duplicate:
                    LogDuplicate(logger, registration.EventId, members[i].DuplicateOf, members[i].LinkMailQueued);
                    break;
            }
        }

        return results;
    }

    /// <summary>
    /// What a batch's write has learnt so far, so that its members cost no query each: per event the stored version,
    /// the counts and which of the batch's addresses are registered already; per inbox the mails of the last hour.
    /// New rows are only collected and written once at the end; a rare path that asks the database about rows
    /// (a duplicate, moving people up) writes what is pending first and makes the turn read again.
    /// </summary>
    private sealed class SignUpTurn(IReadOnlyList<PendingSignUp> members)
    {
        public IReadOnlyList<PendingSignUp> Members { get; } = members;

        public Dictionary<int, EventTurn?> Events { get; } = [];

        /// <summary>Mails to each inbox of the batch in the hour before its first member; null until asked or after a rare path.</summary>
        public Dictionary<string, int>? MailsPerInbox { get; set; }

        /// <summary>New registrations with their mail (null when held back), written by <see cref="PreparedInsert{T}"/>.</summary>
        public List<(Registration Registration, OutboxMessage? Mail)> NewRows { get; } = [];
    }

    private sealed class EventTurn(Event current, int confirmed, int waiting, HashSet<string> registeredAddresses)
    {
        /// <summary>The event as stored now (read again when a member's copy is older).</summary>
        public Event Current { get; } = current;

        /// <summary>Confirmed places, counted up to the capacity (more does not change a decision); 0 without a capacity.</summary>
        public int Confirmed { get; set; } = confirmed;

        public int Waiting { get; set; } = waiting;

        /// <summary>Normalised addresses of the batch with an active registration, stored or added in this batch.</summary>
        public HashSet<string> RegisteredAddresses { get; } = registeredAddresses;
    }

    /// <summary>Inside the batch's write: decides one sign-up and adds what it stores; true when something was added.</summary>
    private async Task<(SignUpResult Result, bool Wrote)> DecideAsync(PendingSignUp signUp, SignUpTurn turn, CancellationToken ct)
    {
        var now = signUp.Now;
        var nowUtc = now.UtcDateTime;
        var registration = signUp.Registration;
        var state = await EventTurnAsync(signUp.Event, turn, ct);
        if (state is null)
        {
            return (new SignUpResult(SignUpOutcome.EventNotFound), false);
        }

        var ev = state.Current;
        if (!ev.IsRegistrationOpen(now))
        {
            return (new SignUpResult(SignUpOutcome.Closed), false);
        }

        if (state.RegisteredAddresses.Contains(registration.EmailNormalized))
        {
            return await DuplicateAsync(signUp, ev, turn, ct);
        }

        // Nobody waits while a place is free (e.g. after the capacity was raised): move them up before deciding.
        if (state.Waiting > 0 && (ev.Capacity is not { } limit || state.Confirmed < limit))
        {
            await SaveUnsavedRowsAsync(turn, ct);
            var movedUp = new List<Registration>();
            var confirmedNow = await MoveUpWhilePlacesAreFreeAsync(ev, nowUtc, ct, movedUp);
            state.Waiting -= movedUp.Count;
            state.Confirmed = ev.Capacity is { } capacityNow ? Math.Min(confirmedNow, capacityNow) : 0;
            turn.MailsPerInbox = null;
        }

        var status = ev.Capacity is { } capacity && state.Confirmed >= capacity ? RegistrationStatus.Waiting : RegistrationStatus.Confirmed;
        registration.Status = status;
        registration.PromotedAtUtc = status == RegistrationStatus.Waiting ? nowUtc : null;
        int? position = status == RegistrationStatus.Waiting ? 1 + state.Waiting : null;
        var mail = mails.Create(status == RegistrationStatus.Waiting ? MailKind.WaitingList : MailKind.Confirmation, registration, ev, position);

        var perInbox = turn.MailsPerInbox ??= await MailsPerInboxAsync(turn, ct);
        var mailHeld = perInbox.GetValueOrDefault(mail.RecipientKey) >= limits.Value.MailsPerInboxPerHour;
        if (!mailHeld)
        {
            perInbox[mail.RecipientKey] = perInbox.GetValueOrDefault(mail.RecipientKey) + 1;
        }

        turn.NewRows.Add((registration, mailHeld ? null : mail));
        state.RegisteredAddresses.Add(registration.EmailNormalized);
        if (status == RegistrationStatus.Waiting)
        {
            state.Waiting++;
        }
        else if (ev.Capacity is not null)
        {
            state.Confirmed++;
        }

        return (new SignUpResult(status == RegistrationStatus.Waiting ? SignUpOutcome.Waiting : SignUpOutcome.Confirmed, signUp.Token, mailHeld), true);
    }

    /// <summary>The address has an active registration (stored, or added earlier in this batch): its link goes out again, throttled.</summary>
    private async Task<(SignUpResult Result, bool Wrote)> DuplicateAsync(PendingSignUp signUp, Event ev, SignUpTurn turn, CancellationToken ct)
    {
        await SaveUnsavedRowsAsync(turn, ct);
        var nowUtc = signUp.Now.UtcDateTime;
        var email = signUp.Registration.EmailNormalized;
        var existing = await db.Registrations.FirstAsync(
            r => r.EventId == ev.Id && r.EmailNormalized == email && r.Status != RegistrationStatus.Cancelled, ct);
        // Any mail that carries the link counts: a double-click right after signing up sends no second mail.
        var since = nowUtc - LinkMailInterval;
        var recentlyMailed = await db.OutboxMessages.AnyAsync(
            m => m.RegistrationId == existing.Id && m.Kind != MailKind.Cancellation && m.CreatedAtUtc > since, ct);
        var held = !recentlyMailed && !await InboxHasRoomAsync(MailAddresses.InboxKey(existing.Email), nowUtc, ct);
        signUp.DuplicateOf = existing.Id;
        signUp.LinkMailQueued = !recentlyMailed && !held;
        if (signUp.LinkMailQueued)
        {
            db.OutboxMessages.Add(mails.Create(MailKind.LinkAgain, existing, ev, await WaitingPositionAsync(existing, ct)));
            await db.SaveChangesAsync(ct);
            turn.MailsPerInbox = null;
        }

        return (new SignUpResult(SignUpOutcome.Duplicate, MailHeld: held), signUp.LinkMailQueued);
    }

    /// <summary>The batch's new registrations and their mails with prepared inserts, then whatever else the context tracks.</summary>
    private async Task SaveUnsavedRowsAsync(SignUpTurn turn, CancellationToken ct)
    {
        if (turn.NewRows.Count > 0)
        {
            using var registrations = new PreparedInsert<Registration>(db);
            using var mails = new PreparedInsert<OutboxMessage>(db);
            var anyMail = false;
            foreach (var (registration, mail) in turn.NewRows)
            {
                await registrations.InsertAsync(registration, ct);
                if (mail is not null)
                {
                    mail.RegistrationId = registration.Id;
                    await mails.InsertAsync(mail, ct);
                    anyMail = true;
                }
            }

            turn.NewRows.Clear();
            if (anyMail)
            {
                outboxWakeUp.Changed(db);
            }
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// The first time a batch meets an event: its stored version (read again in full when a member's copy is older),
    /// its counts, and which of the batch's addresses already have an active registration; null when it is not public.
    /// </summary>
    private async Task<EventTurn?> EventTurnAsync(Event requested, SignUpTurn turn, CancellationToken ct)
    {
        if (turn.Events.TryGetValue(requested.Id, out var known))
        {
            return known;
        }

        var current = requested;
        var version = await EventVersionQuery.For(db)(db, requested.Id);
        if (version is null || version.Sequence != requested.Sequence || version.UpdatedAtUtc != requested.UpdatedAtUtc)
        {
            current = await db.Events.AsNoTracking().Public().SingleOrDefaultAsync(e => e.Id == requested.Id, ct);
        }

        EventTurn? state = null;
        if (current is not null)
        {
            var addresses = turn.Members.Where(m => m.Event.Id == current.Id).Select(m => m.Registration.EmailNormalized).Distinct().ToList();
            var registered = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var address in RegisteredAddressesQuery.For(db)(db, current.Id, addresses).WithCancellation(ct))
            {
                registered.Add(address);
            }

            var counts = await HeadcountQuery.For(db)(db, current.Id, current.Capacity ?? 0);
            state = new EventTurn(current, counts.Confirmed, counts.Waiting, registered);
        }

        turn.Events[requested.Id] = state;
        return state;
    }

    /// <summary>Mails to each inbox the batch's members reach, in the hour before the earliest member (never fewer than for a later one).</summary>
    private async Task<Dictionary<string, int>> MailsPerInboxAsync(SignUpTurn turn, CancellationToken ct)
    {
        var keys = turn.Members.Select(m => MailAddresses.InboxKey(m.Registration.Email)).Distinct().ToList();
        var since = turn.Members.Min(m => m.Now).UtcDateTime - TimeSpan.FromHours(1);
        var perInbox = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var inbox in MailsPerInboxQuery.For(db)(db, keys, since).WithCancellation(ct))
        {
            perInbox[inbox.Key] = inbox.Count;
        }

        return perInbox;
    }

    private sealed record EventVersion(int Sequence, DateTime UpdatedAtUtc);

    private sealed record InboxMails(string Key, int Count);

    // The batch's queries run inside the write turn that every sign-up waits for: compiled, so EF Core does not
    // translate them again for each batch.
    private static readonly PerEngine<Func<CdoForumDbContext, int, List<string>, IAsyncEnumerable<string>>> RegisteredAddressesQuery = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, int eventId, List<string> addresses) => db.Set<Registration>()
            .Where(r => r.EventId == eventId && r.Status != RegistrationStatus.Cancelled && addresses.Contains(r.EmailNormalized))
            .Select(r => r.EmailNormalized)));

    private static readonly PerEngine<Func<CdoForumDbContext, List<string>, DateTime, IAsyncEnumerable<InboxMails>>> MailsPerInboxQuery = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, List<string> keys, DateTime since) => db.Set<OutboxMessage>()
            .Where(m => keys.Contains(m.RecipientKey) && m.CreatedAtUtc > since)
            .GroupBy(m => m.RecipientKey)
            .Select(g => new InboxMails(g.Key, g.Count()))));

    private sealed record Headcount(int Confirmed, int Waiting);

    private static readonly PerEngine<Func<CdoForumDbContext, int, Task<EventVersion?>>> EventVersionQuery = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, int eventId) => db.Set<Event>()
            .Where(e => e.Id == eventId)
            .Select(e => new EventVersion(e.Sequence, e.UpdatedAtUtc))
            .SingleOrDefault()));

    /// <summary>
    /// Confirmed places counted only up to <c>confirmedLimit</c> (the capacity; 0 without one), so a sign-up for a big
    /// event does not count thousands of rows: only "full or not" and the free places matter.
    /// </summary>
    private static readonly PerEngine<Func<CdoForumDbContext, int, int, Task<Headcount>>> HeadcountQuery = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, int eventId, int confirmedLimit) => db.Set<Event>()
            .Where(e => e.Id == eventId)
            .Select(e => new Headcount(
                db.Set<Registration>().Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed)
                    .OrderBy(r => r.RegisteredAtUtc).Take(confirmedLimit).Count(),
                db.Set<Registration>().Count(r => r.EventId == eventId && r.Status == RegistrationStatus.Waiting)))
            .Single()));

    /// <summary>The registration (with its event) behind a participant's link, or null; never throws on a malformed token.</summary>
    public async Task<Registration?> FindByTokenAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var hash = RegistrationTokens.Hash(token);
        return await db.Registrations.AsNoTracking().Include(r => r.Event).SingleOrDefaultAsync(r => r.TokenHash == hash, ct);
    }

    /// <summary>1 for the first person on the waiting list (first come, first served); null when not waiting.</summary>
    public async Task<int?> WaitingPositionAsync(Registration registration, CancellationToken ct)
    {
        if (registration.Status != RegistrationStatus.Waiting)
        {
            return null;
        }

        return 1 + await db.Registrations.CountAsync(
            r => r.EventId == registration.EventId && r.Status == RegistrationStatus.Waiting && r.Id < registration.Id, ct);
    }

    public async Task<Availability> AvailabilityAsync(Event ev, CancellationToken ct)
    {
        var counts = await db.Registrations
            .Where(r => r.EventId == ev.Id && r.Status != RegistrationStatus.Cancelled)
            .GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return new Availability(
            ev.Capacity,
            counts.SingleOrDefault(c => c.Key == RegistrationStatus.Confirmed)?.Count ?? 0,
            counts.SingleOrDefault(c => c.Key == RegistrationStatus.Waiting)?.Count ?? 0);
    }

    /// <summary>
    /// The participant corrects name, organisation and function (until the event starts). False when the registration
    /// is gone, cancelled, or the event has started.
    /// </summary>
    public async Task<bool> UpdateDetailsAsync(int registrationId, ParticipantDetails details, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginWriteAsync(ct);
        var registration = await db.Registrations.Include(r => r.Event).SingleOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null || !registration.ParticipantMayChange(now))
        {
            return false;
        }

        registration.FirstName = details.FirstName;
        registration.LastName = details.LastName;
        registration.Organisation = details.Organisation;
        registration.JobTitle = details.JobTitle;
        registration.UpdatedAtUtc = now.UtcDateTime;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogUpdated(logger, registration.EventId, registration.Id);
        return true;
    }

    /// <summary>
    /// Cancels a registration (Cancellation mail) and moves the first of the waiting list up into a freed place
    /// (MovedUp mail). A participant (<paramref name="staffActor"/> null) can cancel until the event starts; staff
    /// at any time, with an audit entry. False when not found, already cancelled, or too late for the participant.
    /// </summary>
    public async Task<bool> CancelAsync(int registrationId, string? staffActor, CancellationToken ct) =>
        (await CancelWithMailAsync(registrationId, staffActor, ct)).Done;

    /// <summary>
    /// As <see cref="CancelAsync"/>; a participant's cancellation (no <paramref name="staffActor"/>) sends its mail only
    /// while the inbox is within <see cref="RateLimitOptions.MailsPerInboxPerHour"/>.
    /// </summary>
    public async Task<CancelResult> CancelWithMailAsync(int registrationId, string? staffActor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);
        var registration = await db.Registrations.Include(r => r.Event).SingleOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null || registration.IsCancelled || (staffActor is null && !registration.ParticipantMayChange(now)))
        {
            return new CancelResult(false);
        }

        var ev = registration.Event;
        var previous = registration.Status;
        registration.Status = RegistrationStatus.Cancelled;
        registration.CancelledAtUtc = nowUtc;
        registration.UpdatedAtUtc = nowUtc;
        var mailHeld = staffActor is null && !await InboxHasRoomAsync(MailAddresses.InboxKey(registration.Email), nowUtc, ct);
        if (!mailHeld)
        {
            db.OutboxMessages.Add(mails.Create(MailKind.Cancellation, registration, ev));
        }

        await db.SaveChangesAsync(ct);

        var movedUp = new List<Registration>();
        if (previous == RegistrationStatus.Confirmed)
        {
            await MoveUpWhilePlacesAreFreeAsync(ev, nowUtc, ct, movedUp);
        }

        if (staffActor is not null)
        {
            Audit(staffActor, AuditAction.RegistrationCancelled, registration,
                movedUp.Count == 0 ? $"Status vorher: {previous}" : $"Status vorher: {previous}; nachgerückt: Anmeldung {string.Join(", ", movedUp.Select(r => r.Id))}");
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogCancelled(logger, ev.Id, registration.Id, staffActor is not null, movedUp.Count);
        if (mailHeld)
        {
            LogMailHeld(logger, ev.Id, registration.Id);
        }

        return new CancelResult(true, mailHeld);
    }

    /// <summary>Inside the caller's write: fewer than <see cref="RateLimitOptions.MailsPerInboxPerHour"/> mails to this inbox in the last hour.</summary>
    private async Task<bool> InboxHasRoomAsync(string recipientKey, DateTime nowUtc, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return await MailsToInboxSince.For(db)(db, recipientKey, nowUtc - TimeSpan.FromHours(1)) < limits.Value.MailsPerInboxPerHour;
    }

    /// <summary>Compiled: it runs for every sign-up inside the write turn (see <see cref="EventQueries.PublicBySlugAsync"/> for why).</summary>
    private static readonly PerEngine<Func<CdoForumDbContext, string, DateTime, Task<int>>> MailsToInboxSince = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, string recipientKey, DateTime since) =>
            db.Set<OutboxMessage>().Count(m => m.RecipientKey == recipientKey && m.CreatedAtUtc > since)));

    /// <summary>
    /// Staff moves a waiting person up, even when the event is full (the audit entry says so), with a MovedUp mail.
    /// False when the registration is not on the waiting list.
    /// </summary>
    public async Task<bool> PromoteAsync(int registrationId, string staffActor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffActor);
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);
        var registration = await db.Registrations.Include(r => r.Event).SingleOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null || !registration.CanBePromoted)
        {
            return false;
        }

        var ev = registration.Event;
        var confirmed = await CountConfirmedAsync(ev.Id, ct);
        registration.Status = RegistrationStatus.Confirmed;
        registration.PromotedAtUtc = nowUtc;
        registration.UpdatedAtUtc = nowUtc;
        db.OutboxMessages.Add(mails.Create(MailKind.MovedUp, registration, ev));
        var details = ev.Capacity is { } capacity && confirmed >= capacity
            ? $"Von der Warteliste bestätigt, obwohl ausgebucht: {confirmed + 1} bestätigt bei {capacity} Plätzen (überbucht)."
            : $"Von der Warteliste bestätigt: {confirmed + 1} bestätigt bei {(ev.Capacity is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unbegrenzt")} Plätzen.";
        Audit(staffActor, AuditAction.RegistrationPromoted, registration, details);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogPromoted(logger, ev.Id, registration.Id);
        return true;
    }

    /// <summary>
    /// Staff sends the confirmation (or the waiting-list mail, matching the status) again. Not throttled: staff
    /// decides. False when not found or cancelled.
    /// </summary>
    public async Task<bool> ResendConfirmationAsync(int registrationId, string staffActor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffActor);
        await using var transaction = await db.BeginWriteAsync(ct);
        var registration = await db.Registrations.Include(r => r.Event).SingleOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null || registration.Status == RegistrationStatus.Cancelled)
        {
            return false;
        }

        var kind = registration.Status == RegistrationStatus.Waiting ? MailKind.WaitingList : MailKind.Confirmation;
        db.OutboxMessages.Add(mails.Create(kind, registration, registration.Event, await WaitingPositionAsync(registration, ct)));
        Audit(staffActor, AuditAction.ConfirmationResent, registration, $"Erneut gesendet: {kind}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Moves people from the waiting list up, in the order they signed up, while the event has free places; each
    /// gets a MovedUp mail. Returns the number confirmed afterwards. Runs inside the caller's transaction.
    /// </summary>
    private async Task<int> MoveUpWhilePlacesAreFreeAsync(Event ev, DateTime nowUtc, CancellationToken ct, List<Registration>? movedUp = null)
    {
        var confirmed = await CountConfirmedAsync(ev.Id, ct);
        var free = ev.Capacity is { } capacity ? capacity - confirmed : int.MaxValue;
        if (free <= 0)
        {
            return confirmed;
        }

        var waiting = await db.Registrations
            .Where(r => r.EventId == ev.Id && r.Status == RegistrationStatus.Waiting)
            .OrderBy(r => r.Id)
            .Take(free)
            .ToListAsync(ct);
        foreach (var registration in waiting)
        {
            registration.Status = RegistrationStatus.Confirmed;
            registration.PromotedAtUtc = nowUtc;
            registration.UpdatedAtUtc = nowUtc;
            db.OutboxMessages.Add(mails.Create(MailKind.MovedUp, registration, ev));
            movedUp?.Add(registration);
            LogMovedUp(logger, ev.Id, registration.Id);
        }

        if (waiting.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return confirmed + waiting.Count;
    }

    private Task<int> CountConfirmedAsync(int eventId, CancellationToken ct) =>
        db.Registrations.CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed, ct);

    private void Audit(string actor, AuditAction action, Registration registration, string details) =>
        AuditLog.Record(db, clock, actor, action, registration.EventId, registration.Id, details);

    // Debug, like "sent" in the outbox: one line per sign-up in a rush runs into journald's rate limit (10,000 lines in
    // 30 s by default), which then drops the warnings too; the registrations themselves are in the database.
    [LoggerMessage(LogLevel.Debug, "Sign-up for event {EventId}: registration {RegistrationId} is {Status}.")]
    private static partial void LogSignedUp(ILogger logger, int eventId, int registrationId, RegistrationStatus status);

    [LoggerMessage(LogLevel.Debug, "Sign-up for event {EventId} matched active registration {RegistrationId}; link mail queued: {Queued}.")]
    private static partial void LogDuplicate(ILogger logger, int eventId, int registrationId, bool queued);

    [LoggerMessage(LogLevel.Warning, "Registration {RegistrationId} for event {EventId}: mail held back, the inbox had its hourly share of mails from public actions.")]
    private static partial void LogMailHeld(ILogger logger, int eventId, int registrationId);

    [LoggerMessage(LogLevel.Information, "Registration {RegistrationId} for event {EventId} corrected by the participant.")]
    private static partial void LogUpdated(ILogger logger, int eventId, int registrationId);

    [LoggerMessage(LogLevel.Information, "Registration {RegistrationId} for event {EventId} cancelled (by staff: {ByStaff}); {MovedUp} moved up.")]
    private static partial void LogCancelled(ILogger logger, int eventId, int registrationId, bool byStaff, int movedUp);

    [LoggerMessage(LogLevel.Information, "Registration {RegistrationId} for event {EventId} moved up from the waiting list.")]
    private static partial void LogMovedUp(ILogger logger, int eventId, int registrationId);

    [LoggerMessage(LogLevel.Information, "Registration {RegistrationId} for event {EventId} promoted by staff.")]
    private static partial void LogPromoted(ILogger logger, int eventId, int registrationId);
}
