namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// One CDO-Forum session. Date and times are Europe/Berlin local times; <see cref="EventSchedule"/> turns them into instants.
/// Texts, agenda and organiser are stored as JSON columns: they are always read and written with the event as a whole.
/// </summary>
public sealed class Event
{
    public int Id { get; set; }

    public required string Slug { get; set; }

    public required string Series { get; set; }

    public required string Title { get; set; }

    public string? DescriptionHeading { get; set; }

    public List<string> Description { get; set; } = [];

    public DateOnly Date { get; set; }

    public TimeOnly StartTime { get; set; }

    public TimeOnly EndTime { get; set; }

    public EventFormat Format { get; set; }

    /// <summary>Place (in person) or platform name (online); shown publicly.</summary>
    public string? Location { get; set; }

    /// <summary>Dial-in or meeting link; shown to registered participants only, never on public pages.</summary>
    public string? OnlineAccess { get; set; }

    /// <summary>Places available; <c>null</c> means no limit.</summary>
    public int? Capacity { get; set; }

    /// <summary>Berlin local time at which registration closes; <c>null</c> means at the start.</summary>
    public DateTime? RegistrationDeadline { get; set; }

    public List<AgendaItem> Agenda { get; set; } = [];

    public Organiser Organiser { get; set; } = new();

    public List<string> Funders { get; set; } = [];

    public string? MoreInformationUrl { get; set; }

    /// <summary>
    /// Grows by one on every change; used as iCalendar SEQUENCE, as the version in caches and ETags, and as the
    /// concurrency token of the editor (a save based on an older version is refused).
    /// </summary>
    public int Sequence { get; set; }

    /// <summary>Drafts (false) are seen only by staff: 404 to the public, absent from the start page and every feed.</summary>
    public bool Published { get; set; } = true;

    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>When the event was called off ("Absage"); registration is closed from then on.</summary>
    public DateTime? CancelledAtUtc { get; set; }

    /// <summary>Shown on the page and in the cancellation mail.</summary>
    public string? CancellationReason { get; set; }

    /// <summary>
    /// While a change mail is held back (to fold several saves into one), the facts as participants last heard them,
    /// as JSON of <see cref="EventFacts"/>; <c>null</c> when no change mail is waiting.
    /// </summary>
    public string? NoticeBaseline { get; set; }

    public bool IsCancelled => CancelledAtUtc is not null;

    /// <summary>When the retention job erased the registrations' personal data; the archived counts below remain.</summary>
    public DateTime? PersonalDataErasedAtUtc { get; set; }

    public int ArchivedConfirmedCount { get; set; }

    public int ArchivedWaitingCount { get; set; }

    public int ArchivedCancelledCount { get; set; }

    public int ArchivedAttendedCount { get; set; }
}

public enum EventFormat
{
    Online,
    InPerson,
    Hybrid,
}

public sealed class AgendaItem
{
    public TimeOnly Time { get; set; }

    public required string Title { get; set; }

    public AgendaItemKind Kind { get; set; }

    public List<Speaker> Speakers { get; set; } = [];
}

public enum AgendaItemKind
{
    Welcome,
    Talk,
    Discussion,
    Summary,
    Closing,
    Break,
    Other,
}

public sealed class Speaker
{
    public required string Name { get; set; }

    /// <summary>Function, e.g. "Leiterin der Stadtbibliothek Hagenow".</summary>
    public string? Role { get; set; }

    public string? Organisation { get; set; }
}

public sealed class Organiser
{
    public string Name { get; set; } = "";

    public string? ShortName { get; set; }

    /// <summary>Lines of the "c/o" block, in the order the organiser writes them.</summary>
    public List<string> CareOf { get; set; } = [];

    public string? Phone { get; set; }

    public string? Hotline { get; set; }

    public string? Email { get; set; }

    public string? Website { get; set; }

    /// <summary>Who answers questions, e.g. "Bei Rückfragen … an das Team Wissenstransfer."</summary>
    public string? ContactNote { get; set; }
}
