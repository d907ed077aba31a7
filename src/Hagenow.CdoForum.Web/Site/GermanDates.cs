namespace Hagenow.CdoForum.Web.Site;

/// <summary>German date texts, written out here so they do not depend on the machine's ICU data.</summary>
public static class GermanDates
{
    private static readonly string[] Weekdays = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];

    private static readonly string[] Months =
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

    /// <summary>"Mittwoch, 11. März 2026"</summary>
    public static string LongDate(DateOnly date) => $"{Weekdays[(int)date.DayOfWeek]}, {ShortDate(date)}";

    /// <summary>"11. März 2026"</summary>
    public static string ShortDate(DateOnly date) => $"{date.Day}. {Months[date.Month - 1]} {date.Year}";

    /// <summary>"13:00"</summary>
    public static string Time(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"13:00–14:00 Uhr"</summary>
    public static string TimeRange(TimeOnly start, TimeOnly end) => $"{Time(start)}–{Time(end)} Uhr";

    /// <summary>"11.03.2026, 13:05 Uhr" for an instant, shown in Berlin time.</summary>
    public static string DateTimeShort(DateTimeOffset instant)
    {
        var local = BerlinTime.ToLocal(instant);
        return local.ToString("dd.MM.yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " Uhr";
    }
}
