using Hagenow.CdoForum.Web.Data;

namespace Hagenow.CdoForum.Web.Audit;

/// <summary>
/// Adds entries to the audit log. The entry joins the caller's unit of work, so it is saved in the same transaction
/// as the change it records. Details carry ids and counts only, never a participant's name or address.
/// </summary>
public static class AuditLog
{
    public const string SystemActor = "system";
    public const string CommandLineActor = "Kommandozeile";

    public const string Login = "login";
    public const string Logout = "logout";
    public const string StaffAdded = "staff.added";
    public const string StaffRemoved = "staff.removed";
    public const string AttendanceMarked = "attendance.marked";
    public const string AttendanceUndone = "attendance.undone";
    public const string RegistrationErased = "registration.erased";
    public const string Export = "export";
    public const string RetentionErased = "retention.erased";
    public const string MailRetried = "mail.retried";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Login] = "Login in den internen Bereich",
        [Logout] = "Logout aus dem internen Bereich",
        [StaffAdded] = "Mitarbeiterkonto angelegt",
        [StaffRemoved] = "Mitarbeiterkonto entfernt",
        [AttendanceMarked] = "Teilnahme vermerkt",
        [AttendanceUndone] = "Teilnahme zurückgenommen",
        [RegistrationErased] = "Daten einer Person endgültig gelöscht",
        [Export] = "Teilnehmendenliste exportiert",
        [RetentionErased] = "Personenbezogene Daten nach Ablauf der Speicherfrist gelöscht",
        // Written by RegistrationService.
        ["registration.cancel"] = "Anmeldung storniert",
        ["registration.promote"] = "Von der Warteliste bestätigt",
        ["registration.resend"] = "Bestätigung erneut gesendet",
        [MailRetried] = "Fehlgeschlagene E-Mail erneut in den Versand gegeben",
    };

    public static AuditEntry Record(CdoForumDbContext db, TimeProvider clock, string actor, string action, int? eventId = null,
        int? registrationId = null, string? details = null)
    {
        var entry = new AuditEntry
        {
            AtUtc = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            EventId = eventId,
            RegistrationId = registrationId,
            Details = details,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>German text for an action; actions written by other features show their code until they are named here.</summary>
    public static string Label(string action) => Labels.GetValueOrDefault(action, action);
}
