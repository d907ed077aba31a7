using System.Globalization;
using System.Net.Mail;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>A German message for one field. <see cref="Field"/> is the JSON path of the field, e.g. "agenda[1].time".</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Facts from the database that some rules need.</summary>
/// <param name="ConfirmedCount">Confirmed registrations: the capacity may not drop below them.</param>
/// <param name="SlugTaken">Another event already uses the slug.</param>
/// <param name="FixedSlug">The slug of a published event: it can no longer change.</param>
public sealed record EventRuleContext(int ConfirmedCount = 0, bool SlugTaken = false, string? FixedSlug = null);

/// <summary>The outcome of <see cref="EventRules.Check"/>: the event's values (detached) when there are no errors.</summary>
public sealed record EventCheck(Event? Values, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The one validator of an event, used by `events import` and by the editor in the staff area: the same rules and the
/// same German messages, each keyed by the field it is about, in the order of the form.
/// </summary>
public static class EventRules
{
    public const int MaxSlug = 80;
    public const int MaxLine = 200;
    public const int MaxLongLine = 300;
    public const int MaxParagraph = 4000;
    public const int MaxParagraphs = 30;
    public const int MaxOnlineAccess = 1000;
    public const int MaxUrl = 2000;
    public const int MaxAgendaItems = 40;
    public const int MaxSpeakers = 20;
    public const int MaxListLines = 20;

    public static readonly IReadOnlyList<string> FormatNames = ["online", "in-person", "hybrid"];

    public static string KindName(AgendaItemKind kind) => kind.ToString().ToLowerInvariant();

    public static string FormatName(EventFormat format) => FormatNames[(int)format];

    public static EventCheck Check(EventDocument d, EventRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<FieldError>();

        var slug = Text(d.Slug, "slug", "Webadresse (Slug)", MaxSlug, errors, required: true);
        if (slug is not null && !IsSlug(slug))
        {
            errors.Add(new("slug", "Die Webadresse (Slug) darf nur Kleinbuchstaben a–z, Ziffern und Bindestriche enthalten und nicht mit einem Bindestrich beginnen oder enden (z. B. „cdo-forum-2026-03-11“)."));
        }
        else if (slug is not null && context.FixedSlug is { } fixedSlug && slug != fixedSlug)
        {
            errors.Add(new("slug", $"Die Webadresse einer veröffentlichten Veranstaltung bleibt „{fixedSlug}“: E-Mails und Kalender verweisen auf sie."));
        }
        else if (slug is not null && context.SlugTaken)
        {
            errors.Add(new("slug", $"Die Webadresse „{slug}“ hat schon eine andere Veranstaltung; bitte wählen Sie eine andere."));
        }

        var series = Text(d.Series, "series", "Reihe", MaxLine, errors, required: true);
        var title = Text(d.Title, "title", "Titel", MaxLine, errors, required: true);
        var date = ParseDate(d.Date, errors);
        var start = ParseTime(d.Start, "start", "Beginn", errors);
        var end = ParseTime(d.End, "end", "Ende", errors);
        if (start is { } s && end is { } en && en <= s)
        {
            errors.Add(new("end", $"Das Ende ({d.End}) liegt nicht nach dem Beginn ({d.Start})."));
        }

        var format = FormatNames.ToList().IndexOf(d.Format ?? "");
        if (format < 0)
        {
            errors.Add(new("format", $"Das Format „{d.Format}“ ist unbekannt; erlaubt sind {string.Join(", ", FormatNames)}."));
        }

        var location = Text(d.Location, "location", "Ort", MaxLongLine, errors);
        var onlineAccess = Text(d.OnlineAccess, "onlineAccess", "Online-Zugang", MaxOnlineAccess, errors);

        if (d.Capacity is <= 0)
        {
            errors.Add(new("capacity", "Die Platzzahl muss größer als 0 sein; ohne Angabe gibt es keine Begrenzung."));
        }
        else if (d.Capacity is { } capacity && capacity < context.ConfirmedCount)
        {
            errors.Add(new("capacity", $"Es sind schon {context.ConfirmedCount} Anmeldungen bestätigt; die Platzzahl darf nicht darunter liegen."));
        }

        DateTime? deadline = null;
        if (!string.IsNullOrWhiteSpace(d.RegistrationDeadline))
        {
            if (DateTime.TryParseExact(d.RegistrationDeadline.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                deadline = parsed;
                if (date is { } day && start is { } startTime && parsed > day.ToDateTime(startTime))
                {
                    errors.Add(new("registrationDeadline", "Der Anmeldeschluss liegt nach dem Beginn der Veranstaltung."));
                }
            }
            else
            {
                errors.Add(new("registrationDeadline", $"Der Anmeldeschluss „{d.RegistrationDeadline}“ ist kein Zeitpunkt der Form JJJJ-MM-TTTHH:MM."));
            }
        }

        var heading = Text(d.DescriptionHeading, "descriptionHeading", "Überschrift der Beschreibung", MaxLine, errors);
        var description = Lines(d.Description, "description", "Absatz", MaxParagraph, MaxParagraphs, errors);

        var agenda = new List<AgendaItem>();
        var items = d.Agenda ?? [];
        if (items.Count > MaxAgendaItems)
        {
            errors.Add(new("agenda", $"Höchstens {MaxAgendaItems} Programmpunkte."));
        }

        for (var i = 0; i < items.Count && i < MaxAgendaItems; i++)
        {
            var item = items[i];
            var where = $"agenda[{i}]";
            var label = $"Programmpunkt {i + 1}";
            var time = ParseTime(item.Time, $"{where}.time", $"{label}: Uhrzeit", errors);
            if (time is { } t && start is { } st && end is { } et && et > st && (t < st || t > et))
            {
                errors.Add(new($"{where}.time", $"{label}: {item.Time} Uhr liegt nicht zwischen Beginn und Ende der Veranstaltung."));
            }
            else if (time is { } tt && agenda.Count > 0 && agenda[^1].Time > tt)
            {
                errors.Add(new($"{where}.time", $"{label}: die Programmpunkte müssen zeitlich geordnet sein ({item.Time} Uhr liegt vor dem Punkt davor)."));
            }

            var itemTitle = Text(item.Title, $"{where}.title", $"{label}: Titel", MaxLongLine, errors, required: true);
            var kind = ParseKind(item.Kind, $"{where}.kind", label, errors);
            var speakers = new List<Speaker>();
            var speakerDocs = item.Speakers ?? [];
            if (speakerDocs.Count > MaxSpeakers)
            {
                errors.Add(new($"{where}.speakers", $"{label}: höchstens {MaxSpeakers} Mitwirkende."));
            }

            for (var j = 0; j < speakerDocs.Count && j < MaxSpeakers; j++)
            {
                var sp = speakerDocs[j];
                var spWhere = $"{where}.speakers[{j}]";
                var spLabel = $"{label}, Mitwirkende {j + 1}";
                var name = Text(sp.Name, $"{spWhere}.name", $"{spLabel}: Name", MaxLine, errors, required: true);
                var role = Text(sp.Role, $"{spWhere}.role", $"{spLabel}: Funktion", MaxLongLine, errors);
                var organisation = Text(sp.Organisation, $"{spWhere}.organisation", $"{spLabel}: Organisation", MaxLongLine, errors);
                if (name is not null)
                {
                    speakers.Add(new Speaker { Name = name, Role = role, Organisation = organisation });
                }
            }

            if (time is { } at && itemTitle is not null && kind is { } k)
            {
                agenda.Add(new AgendaItem { Time = at, Title = itemTitle, Kind = k, Speakers = speakers });
            }
        }

        var o = d.Organiser;
        var organiser = new Organiser
        {
            Name = Text(o?.Name, "organiser.name", "Veranstalter: Name", MaxLongLine, errors, required: true) ?? "",
            ShortName = Text(o?.ShortName, "organiser.shortName", "Veranstalter: Kurzname", MaxLine, errors),
            CareOf = Lines(o?.CareOf, "organiser.careOf", "c/o-Zeile", MaxLongLine, MaxListLines, errors),
            Phone = Text(o?.Phone, "organiser.phone", "Telefon", MaxLine, errors),
            Hotline = Text(o?.Hotline, "organiser.hotline", "Hotline", MaxLine, errors),
            Email = Text(o?.Email, "organiser.email", "E-Mail", MaxLine, errors),
            Website = Text(o?.Website, "organiser.website", "Website", MaxUrl, errors),
            ContactNote = Text(o?.ContactNote, "organiser.contactNote", "Hinweis zum Kontakt", MaxParagraph, errors),
        };
        if (organiser.Email is { } email && !(MailAddress.TryCreate(email, out var address) && address.Address == email))
        {
            errors.Add(new("organiser.email", $"„{email}“ ist keine E-Mail-Adresse (Form name@beispiel.de)."));
        }

        if (organiser.Website is { } website && !IsHttpUrl(website))
        {
            errors.Add(new("organiser.website", "Die Website braucht eine vollständige Adresse mit http:// oder https://."));
        }

        var funders = Lines(d.Funders, "funders", "Förderer", MaxLongLine, MaxListLines, errors);
        var more = Text(d.MoreInformationUrl, "moreInformationUrl", "Weiterführender Link", MaxUrl, errors);
        if (more is not null && !IsHttpUrl(more))
        {
            errors.Add(new("moreInformationUrl", "Der weiterführende Link braucht eine vollständige Adresse mit http:// oder https://."));
        }

        if (errors.Count > 0)
        {
            return new EventCheck(null, errors);
        }

        return new EventCheck(
            new Event
            {
                Slug = slug!,
                Series = series!,
                Title = title!,
                Date = date!.Value,
                StartTime = start!.Value,
                EndTime = end!.Value,
                Format = (EventFormat)format,
                Location = location,
                OnlineAccess = onlineAccess,
                Capacity = d.Capacity,
                RegistrationDeadline = deadline,
                DescriptionHeading = heading,
                Description = description,
                Agenda = agenda,
                Organiser = organiser,
                Funders = funders,
                MoreInformationUrl = more,
            },
            errors);
    }

    /// <summary>Copies what the editor and the JSON describe (not id, version, state or archived counts).</summary>
    public static void CopyContent(Event from, Event to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        to.Slug = from.Slug;
        to.Series = from.Series;
        to.Title = from.Title;
        to.Date = from.Date;
        to.StartTime = from.StartTime;
        to.EndTime = from.EndTime;
        to.Format = from.Format;
        to.Location = from.Location;
        to.OnlineAccess = from.OnlineAccess;
        to.Capacity = from.Capacity;
        to.RegistrationDeadline = from.RegistrationDeadline;
        to.DescriptionHeading = from.DescriptionHeading;
        to.Description = [.. from.Description];
        to.Agenda =
        [
            .. from.Agenda.Select(a => new AgendaItem
            {
                Time = a.Time,
                Title = a.Title,
                Kind = a.Kind,
                Speakers = [.. a.Speakers.Select(s => new Speaker { Name = s.Name, Role = s.Role, Organisation = s.Organisation })],
            }),
        ];
        to.Organiser = new Organiser
        {
            Name = from.Organiser.Name,
            ShortName = from.Organiser.ShortName,
            CareOf = [.. from.Organiser.CareOf],
            Phone = from.Organiser.Phone,
            Hotline = from.Organiser.Hotline,
            Email = from.Organiser.Email,
            Website = from.Organiser.Website,
            ContactNote = from.Organiser.ContactNote,
        };
        to.Funders = [.. from.Funders];
        to.MoreInformationUrl = from.MoreInformationUrl;
    }

    public static bool IsSlug(string slug) =>
        slug.Length is > 0 and <= MaxSlug && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && !slug.StartsWith('-') && !slug.EndsWith('-');

    private static string? Text(string? value, string field, string label, int max, List<FieldError> errors, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(new(field, $"Bitte füllen Sie „{label}“ aus."));
            }

            return null;
        }

        var text = value.Trim();
        if (text.Any(char.IsControl))
        {
            errors.Add(new(field, $"„{label}“ enthält unzulässige Steuerzeichen (etwa aus einer kopierten Vorlage); bitte entfernen Sie sie."));
        }
        else if (text.Length > max)
        {
            errors.Add(new(field, $"„{label}“ ist zu lang: höchstens {max} Zeichen, jetzt {text.Length}."));
        }

        return text;
    }

    private static List<string> Lines(List<string>? values, string field, string label, int max, int maxCount, List<FieldError> errors)
    {
        var lines = (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (lines.Count > maxCount)
        {
            errors.Add(new(field, $"Höchstens {maxCount} Einträge („{label}“)."));
        }

        return [.. lines.Select((v, i) => Text(v, $"{field}[{i}]", $"{label} {i + 1}", max, errors)!)];
    }

    private static DateOnly? ParseDate(string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new("date", "Bitte füllen Sie „Datum“ aus (Form JJJJ-MM-TT)."));
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new("date", $"„{value}“ ist kein Datum der Form JJJJ-MM-TT (z. B. 2026-04-08)."));
        return null;
    }

    private static TimeOnly? ParseTime(string? value, string field, string label, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, $"Bitte füllen Sie „{label}“ aus (Form HH:MM)."));
            return null;
        }

        if (TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new(field, $"„{label}“: „{value}“ ist keine Uhrzeit der Form HH:MM."));
        return null;
    }

    private static AgendaItemKind? ParseKind(string? value, string field, string label, List<FieldError> errors)
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
        errors.Add(new(field, $"{label}: die Art „{value}“ ist unbekannt; erlaubt sind {allowed}."));
        return null;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
