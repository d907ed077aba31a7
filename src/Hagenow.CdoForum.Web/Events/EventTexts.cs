using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>The one wording of an event's facts that pages, mails, calendar files and PDFs share.</summary>
public static class EventTexts
{
    /// <summary>"Mittwoch, 11. März 2026, 13:00–14:00 Uhr"</summary>
    public static string When(Event e) => $"{GermanDates.LongDate(e.Date)}, {GermanDates.TimeRange(e.StartTime, e.EndTime)}";

    /// <summary>"online", "online (Webex)", "Rathaus Hagenow", "Rathaus Hagenow und online"; never the access details.</summary>
    public static string Where(Event e) => e.Format switch
    {
        EventFormat.Online => e.Location is { } platform ? $"online ({platform})" : "online",
        EventFormat.Hybrid => $"{e.Location ?? "Ort wird noch bekannt gegeben"} und online",
        _ => e.Location ?? "Ort wird noch bekannt gegeben",
    };

    /// <summary>Title of a link preview: the date goes with it, as some previews hide the description.</summary>
    public static string PreviewTitle(Event e) => $"{e.Series} am {GermanDates.ShortDate(e.Date)}: {e.Title}";

    /// <summary>
    /// Meta description and preview text: when and where, then the start of the event's own text, at most
    /// <paramref name="maxLength"/> characters (search results and previews cut longer texts anyway).
    /// </summary>
    public static string Summary(Event e, int maxLength = 200)
    {
        var facts = $"{When(e)}, {Where(e)}.";
        var text = e.Description.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p)) ?? e.Title;
        return Shorten($"{facts} {text}", maxLength);
    }

    /// <summary>Cuts at the last space before the limit and adds "…".</summary>
    public static string Shorten(string text, int maxLength)
    {
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength - 1);
        return text[..(cut > 0 ? cut : maxLength - 1)].TrimEnd(',', ';', ':', '–', '-', ' ') + "…";
    }
}
