using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;

namespace Hagenow.CdoForum.Web.Registrations;

public sealed class Registration
{
    public int Id { get; set; }

    public int EventId { get; set; }

    public Event Event { get; set; } = null!;

    public RegistrationStatus Status { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Email { get; set; }

    /// <summary>Trimmed, lower-case e-mail: one active registration per event and address.</summary>
    public required string EmailNormalized { get; set; }

    public required string Organisation { get; set; }

    public string? JobTitle { get; set; }

    /// <summary>"Ihre Frage oder Ihr Themenwunsch für die Diskussion".</summary>
    public string? Question { get; set; }

    /// <summary>"Hinweise zur Barrierefreiheit".</summary>
    public string? AccessibilityNeeds { get; set; }

    /// <summary>Random per registration; the access token is derived from it with the site's secret (<see cref="RegistrationTokens"/>).</summary>
    public required string AccessKey { get; set; }

    /// <summary>SHA-256 of the participant's access token (Base64Url), for lookup; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    public DateTime RegisteredAtUtc { get; set; }

    /// <summary>When the person entered the waiting list or moved up; orders the waiting list (first come, first served).</summary>
    public DateTime? PromotedAtUtc { get; set; }

    public DateTime? CancelledAtUtc { get; set; }

    public DateTime? AttendedAtUtc { get; set; }

    /// <summary>
    /// The random code of the certificate of attendance (22 characters, 128 bits), set when it is first issued; the
    /// address /bescheinigung/{code} checks it. Stored as it is: it reveals only what the row itself holds in plain.
    /// </summary>
    public string? CertificateCode { get; set; }

    public DateTime? ReminderQueuedAtUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    public string FullName => $"{FirstName} {LastName}";

    public bool IsCancelled => Status == RegistrationStatus.Cancelled;

    /// <summary>The participant may correct details or cancel until the event starts; staff may cancel at any time.</summary>
    public bool ParticipantMayChange(DateTimeOffset now) => !IsCancelled && now < Event.StartsAt();

    /// <summary>A cancelled registration can be replaced by a new sign-up while registration is open.</summary>
    public bool MaySignUpAgain(DateTimeOffset now) => IsCancelled && Event.IsRegistrationOpen(now);

    public bool CanBePromoted => Status == RegistrationStatus.Waiting;

    /// <summary>Only confirmed people can be marked present; the mark can be taken back.</summary>
    public bool CanMarkAttended => CanMarkAttendedWhen(Status, AttendedAtUtc);

    public bool CanUndoAttended => AttendedAtUtc is not null;

    /// <summary>The same rule for a list row that carries only status and attendance.</summary>
    public static bool CanMarkAttendedWhen(RegistrationStatus status, DateTime? attendedAtUtc) =>
        status == RegistrationStatus.Confirmed && attendedAtUtc is null;

    /// <summary>Only for adding a mail together with a new registration; not loaded by queries.</summary>
    public List<OutboxMessage> Mails { get; } = [];
}

public enum RegistrationStatus
{
    Confirmed,
    Waiting,
    Cancelled,
}
