using Hagenow.CdoForum.Web.Data;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Composes the rows that carry no body (<see cref="OutboxMessage.ComposeWhenSent"/>) when the outbox sends them. The
/// registration feature implements it, so the mail feature needs to know nothing of registrations.
/// </summary>
public interface IOutboxComposer
{
    /// <summary>
    /// The message for each row it could compose, by row id. A row missing from the answer cannot be composed any more
    /// (its registration or event is gone, or composing failed and was logged); the outbox marks it failed.
    /// </summary>
    Task<IReadOnlyDictionary<long, byte[]>> ComposeAsync(CdoForumDbContext db, IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken);
}
