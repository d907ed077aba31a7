using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// The JSON form of an event, as `events export` prints it and `events import` reads it.
/// Dates and times are strings (yyyy-MM-dd, HH:mm, Berlin local) so a person can write them by hand
/// and every mistake gets a German message that names the field.
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

    private static readonly string[] FormatNames = ["online", "in-person", "hybrid"];

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static EventDocument FromEvent(Event e) => new()
    {
        Slug = e.Slug,
        Series = e.Series,
        Title = e.Title,
        Date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Start = GermanDates.Time(e.StartTime),
        End = GermanDates.Time(e.EndTime),
        Format = FormatNames[(int)e.Format],
        Location = e.Location,
        OnlineAccess = e.OnlineAccess,
        Capacity = e.Capacity,
        RegistrationDeadline = e.RegistrationDeadline?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        DescriptionHeading = e.DescriptionHeading,
        Description = [.. e.Description],
        Agenda =
        [
            .. e.Agenda.Select(a => new AgendaItemDocument(
                GermanDates.Time(a.Time), a.Title, KindName(a.Kind),
                [.. a.Speakers.Select(s => new SpeakerDocument(s.Name, s.Role, s.Organisation))])),
        ],
        Organiser = new OrganiserDocument(
            e.Organiser.Name, e.Organiser.ShortName, [.. e.Organiser.CareOf], e.Organiser.Phone, e.Organiser.Hotline,
            e.Organiser.Email, e.Organiser.Website, e.Organiser.ContactNote),
        Funders = [.. e.Funders],
        MoreInformationUrl = e.MoreInformationUrl,
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

    /// <summary>Checks every field and copies the document into <paramref name="target"/> only when all are valid.</summary>
    public bool TryApplyTo(Event target, List<string> errors)
    {
        var slug = Required(Slug, "slug", errors);
        if (slug is not null && !IsSlug(slug))
        {
            errors.Add("Feld „slug“: nur Kleinbuchstaben a–z, Ziffern und Bindestriche, höchstens 80 Zeichen (z. B. „cdo-forum-2026-03-11“).");
        }

        var series = Required(Series, "series", errors);
        var title = Required(Title, "title", errors);
        var date = ParseDate(Date, errors);
        var start = ParseTime(Start, "start", errors);
        var end = ParseTime(End, "end", errors);
        if (start is { } s && end is { } en && en <= s)
        {
            errors.Add($"Das Ende ({End}) liegt nicht nach dem Beginn ({Start}).");
        }

        var format = Array.IndexOf(FormatNames, Format ?? "");
        if (format < 0)
        {
            errors.Add($"Feld „format“: „{Format}“ ist unbekannt; erlaubt sind {string.Join(", ", FormatNames)}.");
        }

        if (Capacity is <= 0)
        {
            errors.Add("Feld „capacity“: eine Zahl größer als 0 oder null (keine Begrenzung).");
        }

        DateTime? deadline = null;
        if (!string.IsNullOrWhiteSpace(RegistrationDeadline))
        {
            if (DateTime.TryParseExact(RegistrationDeadline, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                deadline = d;
                if (date is { } day && end is { } endTime && d > day.ToDateTime(endTime))
                {
                    errors.Add("Feld „registrationDeadline“: der Anmeldeschluss liegt nach dem Ende der Veranstaltung.");
                }
            }
            else
            {
                errors.Add($"Feld „registrationDeadline“: „{RegistrationDeadline}“ ist kein Zeitpunkt der Form JJJJ-MM-TTTHH:MM.");
            }
        }

        var agenda = new List<AgendaItem>();
        for (var i = 0; i < (Agenda?.Count ?? 0); i++)
        {
            var item = Agenda![i];
            var where = $"agenda[{i}]";
            var time = ParseTime(item.Time, $"{where}.time", errors);
            var itemTitle = Required(item.Title, $"{where}.title", errors);
            var kind = ParseKind(item.Kind, where, errors);
            var speakers = new List<Speaker>();
            foreach (var (speaker, j) in (item.Speakers ?? []).Select((sp, j) => (sp, j)))
            {
                var name = Required(speaker.Name, $"{where}.speakers[{j}].name", errors);
                if (name is not null)
                {
                    speakers.Add(new Speaker { Name = name, Role = Optional(speaker.Role), Organisation = Optional(speaker.Organisation) });
                }
            }

            if (time is { } t && start is { } st && end is { } et && (t < st || t > et))
            {
                errors.Add($"Feld „{where}.time“: {item.Time} liegt nicht zwischen Beginn und Ende.");
            }

            if (time is { } tt && itemTitle is not null && kind is { } k)
            {
                agenda.Add(new AgendaItem { Time = tt, Title = itemTitle, Kind = k, Speakers = speakers });
            }
        }

        for (var i = 1; i < agenda.Count; i++)
        {
            if (agenda[i].Time < agenda[i - 1].Time)
            {
                errors.Add($"Feld „agenda[{i}].time“: die Programmpunkte müssen zeitlich geordnet sein.");
            }
        }

        var organiserName = Required(Organiser?.Name, "organiser.name", errors);
        if (MoreInformationUrl is { Length: > 0 } url && !IsHttpUrl(url))
        {
            errors.Add("Feld „moreInformationUrl“: eine vollständige Adresse mit http:// oder https://.");
        }

        if (Organiser?.Website is { Length: > 0 } website && !IsHttpUrl(website))
        {
            errors.Add("Feld „organiser.website“: eine vollständige Adresse mit http:// oder https://.");
        }

        if (errors.Count > 0)
        {
            return false;
        }

        target.Slug = slug!;
        target.Series = series!;
        target.Title = title!;
        target.Date = date!.Value;
        target.StartTime = start!.Value;
        target.EndTime = end!.Value;
        target.Format = (EventFormat)format;
        target.Location = Optional(Location);
        target.OnlineAccess = Optional(OnlineAccess);
        target.Capacity = Capacity;
        target.RegistrationDeadline = deadline;
        target.DescriptionHeading = Optional(DescriptionHeading);
        target.Description = [.. (Description ?? []).Select(p => p.Trim()).Where(p => p.Length > 0)];
        target.Agenda = agenda;
        target.Organiser = new Organiser
        {
            Name = organiserName!,
            ShortName = Optional(Organiser!.ShortName),
            CareOf = [.. (Organiser.CareOf ?? []).Select(l => l.Trim()).Where(l => l.Length > 0)],
            Phone = Optional(Organiser.Phone),
            Hotline = Optional(Organiser.Hotline),
            Email = Optional(Organiser.Email),
            Website = Optional(Organiser.Website),
            ContactNote = Optional(Organiser.ContactNote),
        };
        target.Funders = [.. (Funders ?? []).Select(f => f.Trim()).Where(f => f.Length > 0)];
        target.MoreInformationUrl = Optional(MoreInformationUrl);
        return true;
    }

    private static string KindName(AgendaItemKind kind) => kind.ToString().ToLowerInvariant();

    private static AgendaItemKind? ParseKind(string? value, string where, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return AgendaItemKind.Other;
        }

        if (Enum.TryParse<AgendaItemKind>(value, ignoreCase: true, out var kind) && !int.TryParse(value, out _))
        {
            return kind;
        }

        var allowed = string.Join(", ", Enum.GetValues<AgendaItemKind>().Select(KindName));
        errors.Add($"Feld „{where}.kind“: „{value}“ ist unbekannt; erlaubt sind {allowed}.");
        return null;
    }

    private static string? Required(string? value, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"Feld „{field}“ fehlt oder ist leer.");
            return null;
        }

        return value.Trim();
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly? ParseDate(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add("Feld „date“ fehlt oder ist leer (Form JJJJ-MM-TT).");
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add($"Feld „date“: „{value}“ ist kein Datum der Form JJJJ-MM-TT.");
        return null;
    }

    private static TimeOnly? ParseTime(string? value, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"Feld „{field}“ fehlt oder ist leer (Form HH:MM).");
            return null;
        }

        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add($"Feld „{field}“: „{value}“ ist keine Uhrzeit der Form HH:MM.");
        return null;
    }

    private static bool IsSlug(string slug) =>
        slug.Length <= 80 && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && !slug.StartsWith('-') && !slug.EndsWith('-');

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
