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
    public string Create(Event ev, CalendarMethod method, CalendarAttendee? attendee = null, bool includeOnlineAccess = false) =>
        Create(ev, method, attendee, includeOnlineAccess, clock.GetUtcNow().UtcDateTime);

    private string Create(Event ev, CalendarMethod method, CalendarAttendee? attendee, bool includeOnlineAccess, DateTime stampUtc)
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
        calendar.Events.Add(Entry(ev, method, attendee, includeOnlineAccess, stampUtc));
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
            calendar.Events.Add(Entry(ev, CalendarMethod.Publish, null, includeOnlineAccess: false, clock.GetUtcNow().UtcDateTime));
        }

        return Serialize(calendar);
    }

    /// <summary>
    /// The invite or cancellation in a participant's mail: the same text as <see cref="Create"/> gives. Only DTSTAMP and
    /// the ATTENDEE line differ between participants, so the rest is serialized by Ical.Net once per event version
    /// (Sequence and UpdatedAtUtc, which every change of an event moves) and method; a sign-up rush then costs one
    /// ATTENDEE line per mail instead of a whole calendar (measured under load: Ical.Net was ~8 % of a sign-up's CPU).
    /// </summary>
    public string Invite(Event ev, CalendarMethod method, CalendarAttendee attendee, bool includeOnlineAccess)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(method, CalendarMethod.Publish);
        var key = new InviteKey(ev.Id, ev.Sequence, ev.UpdatedAtUtc, method, includeOnlineAccess);
        if (!_invites.TryGetValue(key, out var template))
        {
            if (_invites.Count >= MaxInviteTemplates)
            {
                _invites.Clear();
            }

            template = InviteTemplate.From(Create(ev, method, PlaceholderAttendee, includeOnlineAccess, PlaceholderStamp));
            _invites[key] = template;
        }

        return template.For(AttendeeLine(attendee, method), Stamp(clock.GetUtcNow().UtcDateTime));
    }

    private const int MaxInviteTemplates = 64;
    private static readonly DateTime PlaceholderStamp = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CalendarAttendee PlaceholderAttendee = new("attendee@placeholder.invalid", "Placeholder");
    private readonly System.Collections.Concurrent.ConcurrentDictionary<InviteKey, InviteTemplate> _invites = new();

    private sealed record InviteKey(int EventId, int Sequence, DateTime UpdatedAtUtc, CalendarMethod Method, bool IncludeOnlineAccess);

    private static string Stamp(DateTime utc) =>
        "DTSTAMP:" + utc.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The calendar text split around its ATTENDEE line, with the placeholder DTSTAMP to replace.</summary>
    private sealed record InviteTemplate(string Before, string After)
    {
        private static readonly string PlaceholderStampLine = Stamp(PlaceholderStamp);

        public static InviteTemplate From(string ics)
        {
            var start = ics.IndexOf("\r\nATTENDEE;", StringComparison.Ordinal) + 2;
            if (start < 2 || !ics.Contains(PlaceholderStampLine, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Ical.Net's invite has no ATTENDEE or DTSTAMP line where expected.");
            }

            // The property ends at the first line break that no folded continuation (space or tab) follows.
            var end = start;
            do
            {
                end = ics.IndexOf("\r\n", end, StringComparison.Ordinal) + 2;
            }
            while (ics[end] is ' ' or '\t');

            return new InviteTemplate(ics[..start], ics[end..]);
        }

        public string For(string attendeeLine, string stampLine)
        {
            var text = new StringBuilder(Before.Length + attendeeLine.Length + After.Length);
            text.Append(Before).Append(attendeeLine).Append(After);
            return text.Replace(PlaceholderStampLine, stampLine).ToString();
        }
    }

    /// <summary>
    /// ATTENDEE as Ical.Net writes it: without double quotes in CN (a parameter value cannot hold them), the name quoted
    /// when it holds ; : or , (RFC 5545 3.2), folded at 75 octets.
    /// </summary>
    private static string AttendeeLine(CalendarAttendee attendee, CalendarMethod method)
    {
        // Control characters never pass the forms; dropped here as well, so no name can start a line of its own.
        var name = string.Concat(attendee.Name.Where(c => c != '"' && !char.IsControl(c)));
        name = name.IndexOfAny([';', ':', ',']) >= 0 ? $"\"{name}\"" : name;
        var status = method == CalendarMethod.Cancel ? "DECLINED" : "ACCEPTED";
        var email = string.Concat(attendee.Email.Where(c => !char.IsControl(c)));
        return Fold($"ATTENDEE;CN={name};ROLE=REQ-PARTICIPANT;PARTSTAT={status};RSVP=FALSE:mailto:{email}");
    }

    /// <summary>
    /// RFC 5545 3.1: lines of at most 75 octets, continued after CRLF and a space; never inside a character. A character
    /// outside the BMP counts 6 octets, not its 4, because Ical.Net counts so: both paths then give the same bytes.
    /// </summary>
    private static string Fold(string line)
    {
        var folded = new StringBuilder(line.Length + 8);
        var octets = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = length == 2 ? 6 : Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
            if (octets + size > 75)
            {
                folded.Append("\r\n ");
                octets = 1;
            }

            folded.Append(line, i, length);
            octets += size;
            i += length - 1;
        }

        return folded.Append("\r\n").ToString();
    }

    private const string ProductId = "-//KTS Modellprojekte Smart Cities//CDO-Forum//DE";

    private static string Serialize(IcalCalendar calendar) =>
        new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net returned no calendar text.");

    private CalendarEvent Entry(Event ev, CalendarMethod method, CalendarAttendee? attendee, bool includeOnlineAccess, DateTime stampUtc)
    {
        var entry = new CalendarEvent
        {
            Uid = Uid(ev),
            Sequence = method == CalendarMethod.Cancel ? ev.Sequence + 1 : ev.Sequence,
            DtStamp = new CalDateTime(stampUtc, "UTC"),
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
