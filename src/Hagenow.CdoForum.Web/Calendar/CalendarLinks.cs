using System.Globalization;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Calendar;

/// <summary>
/// Plain "add to calendar" links for web calendars. Nothing is loaded from those hosts: the visitor follows a link
/// and the event's public facts travel in its query (never the dial-in details).
/// </summary>
public sealed class CalendarLinks(SiteUrls urls)
{
    public string Google(Event ev)
    {
        const string format = "yyyyMMdd'T'HHmmss'Z'";
        var dates = $"{ev.StartsAt().UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}/{ev.EndsAt().UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}";
        return "https://calendar.google.com/calendar/render?action=TEMPLATE" +
            $"&text={Escape(EventCalendar.Summary(ev))}&dates={dates}&details={Escape(Details(ev))}" +
            $"&location={Escape(EventCalendar.Location(ev, includeOnlineAccess: false))}";
    }

    public string OutlookCom(Event ev)
    {
        const string format = "yyyy-MM-dd'T'HH:mm:ss'Z'";
        return "https://outlook.live.com/calendar/0/action/compose?" +
            $"subject={Escape(EventCalendar.Summary(ev))}" +
            $"&startdt={ev.StartsAt().UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}" +
            $"&enddt={ev.EndsAt().UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}" +
            $"&body={Escape(Details(ev))}&location={Escape(EventCalendar.Location(ev, includeOnlineAccess: false))}";
    }

    private string Details(Event ev) => $"{ev.Title}\n\nProgramm und Kontakt: {urls.Event(ev.Slug)}";

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
