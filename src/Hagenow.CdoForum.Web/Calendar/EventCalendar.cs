using System.Text;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using IcalCalendar = Ical.Net.Calendar;

namespace Hagenow.CdoForum.Web.Calendar;

/// <summary>What a calendar file asks the reader to do (RFC 5546).</summary>
public enum CalendarMethod
{
    /// <summary>The public file: "here is an event", no attendee.</summary>
    Publish,

    /// <summary>The invite in a confirmation: the participant is an attendee.</summary>
    Request,

    /// <summary>Removes the entry again: same UID, higher SEQUENCE.</summary>
    Cancel,
}

/// <summary>The participant an invite or cancellation is addressed to.</summary>
public sealed record CalendarAttendee(string Email, string Name);

/// <summary>
/// One event as iCalendar. The UID depends only on the event's slug and the site's host, so every file and every
/// invite for the same event updates the same calendar entry; SEQUENCE is the event's version.
/// </summary>
public sealed class EventCalendar(SiteUrls urls, TimeProvider clock)
{
    private const string TimeZoneId = "Europe/Berlin";

    public string Uid(Event ev) => $"{ev.Slug}@{urls.Host}";

    /// <summary>"CDO-Forum-2026-03-11.ics"</summary>
    public static string FileName(Event ev) =>
        $"{ev.Series.Replace(' ', '-')}-{ev.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}.ics";

    /// <summary>The summary line every calendar shows: "CDO-Forum: &lt;title&gt;".</summary>
    public static string Summary(Event ev) => $"{ev.Series}: {ev.Title}";

    /// <summary>
    /// The calendar text (CRLF, folded, UTF-8 when encoded). <paramref name="attendee"/> is required for Request and
    /// Cancel. <paramref name="includeOnlineAccess"/> adds the dial-in details: only for mails to registered participants.
    /// </summary>
    public string Create(Event ev, CalendarMethod method, CalendarAttendee? attendee = null, bool includeOnlineAccess = false)
    {
        if (method != CalendarMethod.Publish && attendee is null)
        {
            throw new ArgumentException("An invite or cancellation needs the participant as attendee.", nameof(attendee));
        }

        var calendar = new IcalCalendar
        {
            ProductId = ProductId,
            Method = method.ToString().ToUpperInvariant(),
        };
        // The rules in force around the event are enough; clients take the zone by its TZID anyway.
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, ev.Date.ToDateTime(TimeOnly.MinValue).AddYears(-1), includeHistoricalData: false));
        calendar.Events.Add(Entry(ev, method, attendee, includeOnlineAccess));
        return Serialize(calendar);
    }

    /// <summary>
    /// The series as a subscribed calendar (/kalender.ics): the given published events, each with the same UID and
    /// SEQUENCE as its termin.ics, so a subscriber and someone who saved the single file see one entry. No attendee and
    /// no dial-in details: the feed is public.
    /// </summary>
    public string CreateFeed(IReadOnlyCollection<Event> events, string name)
    {
        var calendar = new IcalCalendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-WR-TIMEZONE", TimeZoneId);
        // Outlook and Apple read the first, Thunderbird and others the second: check for changes every six hours.
        calendar.AddProperty("X-PUBLISHED-TTL", "PT6H");
        var refresh = new CalendarProperty("REFRESH-INTERVAL", "PT6H");
        refresh.AddParameter("VALUE", "DURATION");
        calendar.Properties.Add(refresh);
        var earliest = events.Count == 0 ? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) : events.Min(e => e.Date);
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, earliest.ToDateTime(TimeOnly.MinValue).AddYears(-1), includeHistoricalData: false));
        foreach (var ev in events.OrderBy(e => e.Date).ThenBy(e => e.StartTime))
        {
            calendar.Events.Add(Entry(ev, CalendarMethod.Publish, null, includeOnlineAccess: false));
        }

        return Serialize(calendar);
    }

    private const string ProductId = "-//KTS Modellprojekte Smart Cities//CDO-Forum//DE";

    private static string Serialize(IcalCalendar calendar) =>
        new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net returned no calendar text.");

    private CalendarEvent Entry(Event ev, CalendarMethod method, CalendarAttendee? attendee, bool includeOnlineAccess)
    {
        var entry = new CalendarEvent
        {
            Uid = Uid(ev),
            Sequence = method == CalendarMethod.Cancel ? ev.Sequence + 1 : ev.Sequence,
            DtStamp = new CalDateTime(clock.GetUtcNow().UtcDateTime, "UTC"),
            DtStart = new CalDateTime(ev.Date, ev.StartTime, TimeZoneId),
            DtEnd = new CalDateTime(ev.Date, ev.EndTime, TimeZoneId),
            Summary = Summary(ev),
            Description = Description(ev, includeOnlineAccess),
            Location = Location(ev, includeOnlineAccess),
            Url = urls.Event(ev.Slug),
            Status = method == CalendarMethod.Cancel || ev.IsCancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
        };

        if (ev.Organiser.Email is { Length: > 0 } organiserEmail)
        {
            entry.Organizer = new Organizer($"mailto:{organiserEmail}") { CommonName = ev.Organiser.ShortName ?? ev.Organiser.Name };
        }

        if (method != CalendarMethod.Publish && attendee is not null)
        {
            // The registration is the answer: clients need not send an RSVP mail back to the organiser.
            entry.Attendees.Add(new Attendee($"mailto:{attendee.Email}")
            {
                CommonName = attendee.Name,
                Role = "REQ-PARTICIPANT",
                ParticipationStatus = method == CalendarMethod.Cancel ? "DECLINED" : "ACCEPTED",
                Rsvp = false,
            });
        }

        return entry;
    }

    /// <summary>"Online (Webex)", the place, or both for hybrid events; with the dial-in only for participants.</summary>
    public static string Location(Event ev, bool includeOnlineAccess) =>
        includeOnlineAccess && ev.Format != EventFormat.InPerson && ev.OnlineAccess is { Length: > 0 } access
            ? $"{EventTexts.Place(ev)}: {access}"
            : EventTexts.Place(ev);

    /// <summary>The agenda as plain lines, then the event page; the dial-in for participants.</summary>
    public string Description(Event ev, bool includeOnlineAccess)
    {
        var text = new StringBuilder();
        text.Append(ev.Title).Append('\n')
            .Append(EventTexts.When(ev)).Append("\n\n");
        if (includeOnlineAccess && ev.OnlineAccess is { Length: > 0 } access)
        {
            text.Append("Zugang: ").Append(access).Append("\n\n");
        }

        if (ev.Agenda.Count > 0)
        {
            text.Append("Programm:\n");
            foreach (var item in ev.Agenda)
            {
                text.Append(EventTexts.AgendaLine(item)).Append('\n');
            }

            text.Append('\n');
        }

        text.Append("Weitere Informationen: ").Append(urls.Event(ev.Slug));
        if (ev.Organiser.Email is { Length: > 0 } email)
        {
            text.Append("\nRückfragen: ").Append(email);
        }

        return text.ToString();
    }
}
