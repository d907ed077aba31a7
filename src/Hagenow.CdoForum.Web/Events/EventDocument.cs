using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// The JSON form of an event, as `events export` prints it and `events import` reads it.
/// Dates and times are strings (yyyy-MM-dd, HH:mm, Berlin local) so a person can write them by hand
/// and every mistake gets a German message that names the field (<see cref="EventRules"/>). The editor in the staff
/// area fills the same record from its form, so both go through the same rules.
/// </summary>
public sealed record EventDocument
{
    public string? Slug { get; init; }
    public string? Series { get; init; }
    public string? Title { get; init; }
    public string? Date { get; init; }
    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Format { get; init; }
    public string? Location { get; init; }
    public string? OnlineAccess { get; init; }
    public int? Capacity { get; init; }
    public string? RegistrationDeadline { get; init; }
    public string? DescriptionHeading { get; init; }
    public List<string>? Description { get; init; }
    public List<AgendaItemDocument>? Agenda { get; init; }
    public OrganiserDocument? Organiser { get; init; }
    public List<string>? Funders { get; init; }
    public string? MoreInformationUrl { get; init; }

    /// <summary>False marks a draft; absent (null) means published, so files written before drafts existed keep working.</summary>
    public bool? Published { get; init; }

    public sealed record AgendaItemDocument(string? Time, string? Title, string? Kind, List<SpeakerDocument>? Speakers);

    public sealed record SpeakerDocument(string? Name, string? Role, string? Organisation);

    public sealed record OrganiserDocument(
        string? Name, string? ShortName, List<string>? CareOf, string? Phone, string? Hotline,
        string? Email, string? Website, string? ContactNote);

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static EventDocument FromEvent(Event e) => new()
    {
        Slug = e.Slug,
        Series = e.Series,
        Title = e.Title,
        Date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Start = GermanDates.Time(e.StartTime),
        End = GermanDates.Time(e.EndTime),
        Format = EventRules.FormatName(e.Format),
        Location = e.Location,
        OnlineAccess = e.OnlineAccess,
        Capacity = e.Capacity,
        RegistrationDeadline = e.RegistrationDeadline?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        DescriptionHeading = e.DescriptionHeading,
        Description = [.. e.Description],
        Agenda =
        [
            .. e.Agenda.Select(a => new AgendaItemDocument(
                GermanDates.Time(a.Time), a.Title, EventRules.KindName(a.Kind),
                [.. a.Speakers.Select(s => new SpeakerDocument(s.Name, s.Role, s.Organisation))])),
        ],
        Organiser = new OrganiserDocument(
            e.Organiser.Name, e.Organiser.ShortName, [.. e.Organiser.CareOf], e.Organiser.Phone, e.Organiser.Hotline,
            e.Organiser.Email, e.Organiser.Website, e.Organiser.ContactNote),
        Funders = [.. e.Funders],
        MoreInformationUrl = e.MoreInformationUrl,
        Published = e.Published,
    };

    /// <summary>Parses JSON text; on failure the errors say in German what is wrong and where.</summary>
    public static EventDocument? Parse(string json, List<string> errors)
    {
        try
        {
            var document = JsonSerializer.Deserialize<EventDocument>(json, JsonOptions);
            if (document is null)
            {
                errors.Add("Die Datei enthält kein Veranstaltungsobjekt (erwartet wird ein JSON-Objekt { … }).");
            }

            return document;
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (Zeile {line + 1}, Spalte {ex.BytePositionInLine + 1})" : "";
            var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unbekanntes Feld {ex.Path}"
                : ex.Path is { Length: > 1 } path ? $"ungültiger Wert bei {path}" : "kein gültiges JSON";
            errors.Add($"Die Datei ist kein gültiges Veranstaltungs-JSON: {what}{where}.");
            return null;
        }
    }
}

public static class EventDocumentDiff
{
    /// <summary>The JSON names of the top-level fields that differ ("date", "agenda", …): what the audit log records.</summary>
    public static IReadOnlyList<string> ChangedFields(EventDocument before, EventDocument after)
    {
        var old = System.Text.Json.JsonSerializer.SerializeToElement(before, EventDocument.JsonOptions);
        var now = System.Text.Json.JsonSerializer.SerializeToElement(after, EventDocument.JsonOptions);
        return
        [
            .. now.EnumerateObject()
                .Where(p => !old.TryGetProperty(p.Name, out var o) || o.GetRawText() != p.Value.GetRawText())
                .Select(p => p.Name),
        ];
    }
}
