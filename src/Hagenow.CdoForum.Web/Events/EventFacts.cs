using System.Text.Json;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>The facts of an event that matter to someone who registered: a change of one of them is worth a mail.</summary>
public enum EventFact
{
    Date,
    Time,
    Format,
    Place,
    OnlineAccess,
}

/// <summary>One changed fact, old → new, worded for the participant.</summary>
public sealed record EventChange(EventFact Fact, string Label, string Old, string New);

/// <summary>
/// Date, start, end, format, place and online access of an event at one moment. Text-only changes (description,
/// agenda, speakers) are not part of it: they update the page, the calendar file and the PDF, but mail nobody.
/// </summary>
public sealed record EventFacts(DateOnly Date, TimeOnly StartTime, TimeOnly EndTime, EventFormat Format, string? Location, string? OnlineAccess)
{
    public const int MaxReasonLength = 1000;

    public static EventFacts Of(Event e) => new(e.Date, e.StartTime, e.EndTime, e.Format, Normal(e.Location), Normal(e.OnlineAccess));

    public string ToJson() => JsonSerializer.Serialize(this);

    public static EventFacts? FromJson(string? json) => json is { Length: > 0 } ? JsonSerializer.Deserialize<EventFacts>(json) : null;

    /// <summary>What differs between <paramref name="old"/> and <paramref name="now"/>; empty when nothing that matters changed.</summary>
    public static IReadOnlyList<EventChange> Between(EventFacts old, EventFacts now)
    {
        var changes = new List<EventChange>();
        if (old.Date != now.Date)
        {
            changes.Add(new(EventFact.Date, "Datum", GermanDates.LongDate(old.Date), GermanDates.LongDate(now.Date)));
        }

        if (old.StartTime != now.StartTime || old.EndTime != now.EndTime)
        {
            changes.Add(new(EventFact.Time, "Uhrzeit", GermanDates.TimeRange(old.StartTime, old.EndTime), GermanDates.TimeRange(now.StartTime, now.EndTime)));
        }

        if (old.Format != now.Format)
        {
            changes.Add(new(EventFact.Format, "Format", FormatName(old.Format), FormatName(now.Format)));
        }

        if (!string.Equals(old.Location, now.Location, StringComparison.Ordinal))
        {
            changes.Add(new(EventFact.Place, "Ort", old.Location ?? "(keine Angabe)", now.Location ?? "(keine Angabe)"));
        }

        if (!string.Equals(old.OnlineAccess, now.OnlineAccess, StringComparison.Ordinal))
        {
            changes.Add(new(EventFact.OnlineAccess, "Zugang", old.OnlineAccess ?? "(noch keine Angabe)", now.OnlineAccess ?? "(noch keine Angabe)"));
        }

        return changes;
    }

    public static string FormatName(EventFormat format) => format switch
    {
        EventFormat.Online => "online",
        EventFormat.InPerson => "vor Ort",
        EventFormat.Hybrid => "hybrid (vor Ort und online)",
        _ => format.ToString(),
    };

    private static string? Normal(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// Told about every saved change of an existing event, inside the write that saves it, so mails about the change are
/// stored with it or not at all. The Registrations feature implements it (Events knows no registrations); the
/// importer and the editor call it. Returns how many people will be notified.
/// </summary>
public interface IEventChangeNotifier
{
    Task<int> NotifyChangeAsync(Event changed, EventFacts before, CancellationToken cancellationToken);

    /// <summary>How many people a material change would reach (confirmed and waiting), for the confirmation step.</summary>
    Task<int> CountAffectedAsync(int eventId, CancellationToken cancellationToken);
}
