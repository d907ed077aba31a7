using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>The one wording of an event's facts that pages, mails, calendar files and PDFs share.</summary>
public static class EventTexts
{
    public const string PlaceToBeAnnounced = "Ort wird noch bekannt gegeben";

    public const string AccessByMail = "Zugangsdaten per E-Mail nach der Anmeldung";

    /// <summary>"Mittwoch, 11. März 2026, 13:00–14:00 Uhr"</summary>
    public static string When(Event e) => $"{GermanDates.LongDate(e.Date)}, {GermanDates.TimeRange(e.StartTime, e.EndTime)}";

    /// <summary>Where the event is, without access details: "Online (Webex)", the place, or "place und online".</summary>
    public static string Place(Event e) => e.Format switch
    {
        EventFormat.Online => "Online" + (e.Location is { Length: > 0 } platform ? $" ({platform})" : ""),
        EventFormat.Hybrid => $"{PlaceOrToBeAnnounced(e)} und online",
        _ => PlaceOrToBeAnnounced(e),
    };

    /// <summary>"13:05 Uhr Impulsvortrag … (Claudia Kaltenbach)": one agenda item on one line of plain text.</summary>
    public static string AgendaLine(AgendaItem item)
    {
        var line = $"{GermanDates.Time(item.Time)} Uhr {item.Title}";
        return item.Speakers.Count > 0 ? $"{line} ({string.Join(", ", item.Speakers.Select(s => s.Name))})" : line;
    }

    /// <summary>"Koordinierungs- und Transferstelle … (KTS)"</summary>
    public static string OrganiserName(Organiser organiser) =>
        organiser.ShortName is { Length: > 0 } shortName ? $"{organiser.Name} ({shortName})" : organiser.Name;

    /// <summary>The organiser's contact as labelled lines (label, value), only those that are set.</summary>
    public static IEnumerable<(string Label, string Value)> ContactLines(Organiser organiser)
    {
        if (organiser.Phone is { Length: > 0 } phone)
        {
            yield return ("Telefon", phone);
        }

        if (organiser.Hotline is { Length: > 0 } hotline)
        {
            yield return ("Hotline", hotline);
        }

        if (organiser.Email is { Length: > 0 } email)
        {
            yield return ("E-Mail", email);
        }

        if (organiser.Website is { Length: > 0 } website)
        {
            yield return ("Webseite", website);
        }
    }

    private static string PlaceOrToBeAnnounced(Event e) => e.Location is { Length: > 0 } place ? place : PlaceToBeAnnounced;

    /// <summary>Title of a link preview: the date goes with it, as some previews hide the description.</summary>
    public static string PreviewTitle(Event e) => $"{e.Series} am {GermanDates.ShortDate(e.Date)}: {e.Title}";

    /// <summary>
    /// Meta description and preview text: when and where, then the start of the event's own text, at most
    /// <paramref name="maxLength"/> characters (search results and previews cut longer texts anyway).
    /// </summary>
    public static string Summary(Event e, int maxLength = 200)
    {
        var facts = $"{When(e)}, {Place(e)}.";
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
