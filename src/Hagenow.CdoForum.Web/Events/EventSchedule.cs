using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>Turns an event's Berlin local date and times into instants and answers "has it happened, is sign-up open".</summary>
public static class EventSchedule
{
    public static DateTimeOffset StartsAt(this Event e) => BerlinTime.FromLocal(e.Date.ToDateTime(e.StartTime));

    public static DateTimeOffset EndsAt(this Event e) => BerlinTime.FromLocal(e.Date.ToDateTime(e.EndTime));

    public static DateTimeOffset RegistrationClosesAt(this Event e) =>
        e.RegistrationDeadline is { } deadline ? BerlinTime.FromLocal(deadline) : e.StartsAt();

    public static bool HasEnded(this Event e, DateTimeOffset now) => now >= e.EndsAt();

    public static bool IsRegistrationOpen(this Event e, DateTimeOffset now) => !e.IsCancelled && now < e.RegistrationClosesAt();
}
