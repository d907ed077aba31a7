namespace Hagenow.CdoForum.Web.Events;

/// <summary>Turns an event's Berlin local date and times into instants and answers "has it happened, is sign-up open".</summary>
public static class EventSchedule
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateTimeOffset StartsAt(this Event e) => FromBerlin(e.Date.ToDateTime(e.StartTime));

    public static DateTimeOffset EndsAt(this Event e) => FromBerlin(e.Date.ToDateTime(e.EndTime));

    public static DateTimeOffset RegistrationClosesAt(this Event e) =>
        e.RegistrationDeadline is { } deadline ? FromBerlin(deadline) : e.StartsAt();

    public static bool HasEnded(this Event e, DateTimeOffset now) => now >= e.EndsAt();

    public static bool IsRegistrationOpen(this Event e, DateTimeOffset now) => now < e.RegistrationClosesAt();

    public static DateTimeOffset FromBerlin(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Berlin.GetUtcOffset(unspecified));
    }

    public static DateTime ToBerlin(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Berlin).DateTime;
}
