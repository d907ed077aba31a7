using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>The one wording of an event's facts that pages, mails, calendar files and PDFs share.</summary>
public static class EventTexts
{
    /// <summary>"Mittwoch, 11. März 2026, 13:00–14:00 Uhr"</summary>
    public static string When(Event e) => $"{GermanDates.LongDate(e.Date)}, {GermanDates.TimeRange(e.StartTime, e.EndTime)}";
}
