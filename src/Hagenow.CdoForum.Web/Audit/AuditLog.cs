using Hagenow.CdoForum.Web.Data;

namespace Hagenow.CdoForum.Web.Audit;

/// <summary>What a staff member or a job did; the code is stored, the label shown in the audit log.</summary>
public sealed record AuditAction(string Code, string Label)
{
    public static readonly AuditAction Login = new("login", "Login in den internen Bereich");
    public static readonly AuditAction Logout = new("logout", "Logout aus dem internen Bereich");
    public static readonly AuditAction StaffAdded = new("staff.added", "Mitarbeiterkonto angelegt");
    public static readonly AuditAction StaffRemoved = new("staff.removed", "Mitarbeiterkonto entfernt");
    public static readonly AuditAction AttendanceMarked = new("attendance.marked", "Teilnahme vermerkt");
    public static readonly AuditAction AttendanceUndone = new("attendance.undone", "Teilnahme zurückgenommen");
    public static readonly AuditAction RegistrationCancelled = new("registration.cancel", "Anmeldung storniert");
    public static readonly AuditAction RegistrationPromoted = new("registration.promote", "Von der Warteliste bestätigt");
    public static readonly AuditAction ConfirmationResent = new("registration.resend", "Bestätigung erneut gesendet");
    public static readonly AuditAction RegistrationErased = new("registration.erased", "Daten einer Person endgültig gelöscht");
    public static readonly AuditAction Export = new("export", "Teilnehmendenliste exportiert");
    public static readonly AuditAction RetentionErased = new("retention.erased", "Personenbezogene Daten nach Ablauf der Speicherfrist gelöscht");
    public static readonly AuditAction MailRetried = new("mail.retried", "Fehlgeschlagene E-Mail erneut in den Versand gegeben");
    public static readonly AuditAction CertificatesSent = new("certificates.sent", "Teilnahmebescheinigungen versandt");

    public static readonly AuditAction TwoFactorEnrolled = new("staff.2fa.enrolled", "Zweiter Faktor (Authenticator-App) eingerichtet");
    public static readonly AuditAction RecoveryCodeUsed = new("staff.2fa.recovery", "Anmeldung mit einem Wiederherstellungscode");
    public static readonly AuditAction TwoFactorReset = new("staff.2fa.reset", "Zweiter Faktor zurückgesetzt");
    public static readonly AuditAction PersonalDataAccess = new("privacy.access", "Auskunft über gespeicherte Daten erteilt (Art. 15 DSGVO)");
    public static readonly AuditAction OwnDataDownloaded = new("privacy.own", "Teilnehmende Person hat ihre eigenen Daten heruntergeladen");

    public static readonly AuditAction EventCreated = new("event.created", "Veranstaltung angelegt");
    public static readonly AuditAction EventCopied = new("event.copied", "Veranstaltung aus einer Vorlage angelegt");
    public static readonly AuditAction EventSaved = new("event.saved", "Veranstaltung geändert");
    public static readonly AuditAction EventPublished = new("event.published", "Veranstaltung veröffentlicht");
    public static readonly AuditAction EventUnpublished = new("event.unpublished", "Veranstaltung zurückgezogen (wieder Entwurf)");
    public static readonly AuditAction EventCancelled = new("event.cancelled", "Veranstaltung abgesagt");
    public static readonly AuditAction MessageSent = new("message.sent", "Nachricht an Teilnehmende gesendet");

    private static readonly Dictionary<string, AuditAction> ByCode = new[]
    {
        Login, Logout, StaffAdded, StaffRemoved, AttendanceMarked, AttendanceUndone, RegistrationCancelled,
        RegistrationPromoted, ConfirmationResent, RegistrationErased, Export, RetentionErased, MailRetried,
        TwoFactorEnrolled, RecoveryCodeUsed, TwoFactorReset, PersonalDataAccess, OwnDataDownloaded, CertificatesSent,
        EventCreated, EventCopied, EventSaved, EventPublished, EventUnpublished,
        EventCancelled, MessageSent,
    }.ToDictionary(a => a.Code, StringComparer.Ordinal);

    /// <summary>The German label of a stored code; an unknown code (written by a newer version) shows as itself.</summary>
    public static string LabelOf(string code) => ByCode.TryGetValue(code, out var action) ? action.Label : code;
}

/// <summary>
/// Adds entries to the audit log. Details carry ids and counts only, never a participant's name or address.
/// </summary>
public static class AuditLog
{
    public const string SystemActor = "system";
    public const string CommandLineActor = "Kommandozeile";

    /// <summary>Joins the caller's unit of work: saved in the same transaction as the change it records.</summary>
    public static AuditEntry Record(CdoForumDbContext db, TimeProvider clock, string actor, AuditAction action, int? eventId = null,
        int? registrationId = null, string? details = null)
    {
        var entry = new AuditEntry
        {
            AtUtc = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action.Code,
            EventId = eventId,
            RegistrationId = registrationId,
            Details = details,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>An entry that records nothing else (a login, an export): its own write.</summary>
    public static async Task WriteAsync(CdoForumDbContext db, TimeProvider clock, string actor, AuditAction action, CancellationToken cancellationToken,
        int? eventId = null, string? details = null)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        Record(db, clock, actor, action, eventId, details: details);
        await db.SaveChangesAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
    }
}
