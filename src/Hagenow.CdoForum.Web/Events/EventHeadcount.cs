namespace Hagenow.CdoForum.Web.Events;

/// <summary>How many people an event has: Confirmed limits the capacity, Any > 0 means it can no longer go back to draft.</summary>
public sealed record EventHeadcount(int Confirmed, int Any);

/// <summary>
/// Counts an event's registrations for the editor's rules. Registrations implements it (Registrations depends on
/// Events, never the other way round), and it reads through the caller's DbContext, so it sees the caller's write.
/// </summary>
public interface IEventHeadcount
{
    Task<EventHeadcount> CountAsync(int eventId, CancellationToken cancellationToken);
}
