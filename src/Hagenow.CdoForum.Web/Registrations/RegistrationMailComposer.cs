using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>
/// Composes the mails about registrations when the outbox sends them: one query for the batch's registrations, one
/// for their events, then each message as <see cref="RegistrationMails.Create"/> promised it.
/// </summary>
public sealed partial class RegistrationMailComposer(RegistrationMails mails, ILogger<RegistrationMailComposer> logger) : IOutboxComposer
{
    public async Task<IReadOnlyDictionary<long, byte[]>> ComposeAsync(CdoForumDbContext db, IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var registrationIds = rows.Where(r => r.RegistrationId is not null).Select(r => r.RegistrationId!.Value).Distinct().ToList();
        var registrations = await db.Registrations.AsNoTracking()
            .Where(r => registrationIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var eventIds = registrations.Values.Select(r => r.EventId).Distinct().ToList();
        var events = await db.Events.AsNoTracking()
            .Where(e => eventIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, cancellationToken);

        var composed = new Dictionary<long, byte[]>(rows.Count);
        foreach (var row in rows)
        {
            if (row.RegistrationId is not { } registrationId
                || !registrations.TryGetValue(registrationId, out var registration)
                || !events.TryGetValue(registration.EventId, out var ev))
            {
                continue;
            }

            try
            {
                composed[row.Id] = mails.Compose(row, registration, ev);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A defect in one mail must not hold up the others; the outbox marks this row failed for staff.
                LogComposeFailed(row.Id, row.Kind, ex);
            }
        }

        return composed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} ({Kind}) could not be composed")]
    private partial void LogComposeFailed(long id, MailKind kind, Exception exception);
}
