using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// schema.org <c>Event</c> as JSON-LD for the event page, so search engines can show date and time. Only what the page
/// itself shows: the online access details (<see cref="Event.OnlineAccess"/>) never appear.
/// </summary>
public static class EventStructuredData
{
    // Escapes < > & ' " as \u003C …, so no text of an event can end the <script> block it sits in.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = true,
    };

    public static string Json(Event e, SiteUrls urls)
    {
        var page = urls.Event(e.Slug).AbsoluteUri;
        var data = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Event",
            ["name"] = e.Title,
            ["description"] = EventTexts.Summary(e, 500),
            ["url"] = page,
            ["image"] = PublicPage.Image(urls).AbsoluteUri,
            ["inLanguage"] = "de",
            ["startDate"] = Iso(e.StartsAt()),
            ["endDate"] = Iso(e.EndsAt()),
            ["eventAttendanceMode"] = e.Format switch
            {
                EventFormat.Online => "https://schema.org/OnlineEventAttendanceMode",
                EventFormat.Hybrid => "https://schema.org/MixedEventAttendanceMode",
                _ => "https://schema.org/OfflineEventAttendanceMode",
            },
            ["location"] = e.Format switch
            {
                EventFormat.Online => VirtualLocation(e, page),
                EventFormat.Hybrid => new JsonArray(Place(e), VirtualLocation(e, page)),
                _ => Place(e),
            },
            ["organizer"] = Organizer(e.Organiser),
            ["isAccessibleForFree"] = true,
        };

        var performers = e.Agenda.SelectMany(a => a.Speakers).DistinctBy(s => s.Name)
            .Select(s => (JsonNode)new JsonObject { ["@type"] = "Person", ["name"] = s.Name })
            .ToArray();
        if (performers.Length > 0)
        {
            data["performer"] = new JsonArray(performers);
        }

        return data.ToJsonString(Options);
    }

    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // The public event page stands in for the meeting link: that one goes to registered participants only.
    private static JsonObject VirtualLocation(Event e, string page)
    {
        var location = new JsonObject { ["@type"] = "VirtualLocation", ["url"] = page };
        if (e.Format == EventFormat.Online && e.Location is { } platform)
        {
            location["name"] = platform;
        }

        return location;
    }

    private static JsonObject Place(Event e)
    {
        var where = e.Location ?? "Ort wird noch bekannt gegeben";
        return new JsonObject { ["@type"] = "Place", ["name"] = where, ["address"] = where };
    }

    private static JsonObject Organizer(Organiser organiser)
    {
        var organizer = new JsonObject { ["@type"] = "Organization", ["name"] = organiser.Name };
        if (WebAddress(organiser.Website) is { } url)
        {
            organizer["url"] = url;
        }

        return organizer;
    }

    /// <summary>"www.example.de" as written in the seed becomes https://www.example.de/; anything else is left out.</summary>
    private static string? WebAddress(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
        {
            return null;
        }

        var candidate = website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;
    }
}
