namespace Hagenow.CdoForum.Web.Events;

/// <summary>What the public may see. Every public page, file and feed starts from here, so a draft never leaks.</summary>
public static class EventQueries
{
    /// <summary>Published events only: the start page, event page, sign-up, termin.ics, programm.pdf and the feeds.</summary>
    public static IQueryable<Event> Public(this IQueryable<Event> events) => events.Where(e => e.Published);
}
