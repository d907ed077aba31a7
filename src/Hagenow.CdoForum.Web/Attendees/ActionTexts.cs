namespace Hagenow.CdoForum.Web.Attendees;

/// <summary>A staff action on one registration as the confirmation page presents it.</summary>
public sealed record StaffAction(string Slug, string Title, string Consequence, string Button, bool Danger, string DoneMessage);

/// <summary>The actions offered on a registration, by their address segment (…/anmeldungen/{id}/{slug}).</summary>
public static class ActionTexts
{
    public static readonly StaffAction MarkAttended = new(
        "teilnahme",
        "Teilnahme vermerken",
        "Die Person wird als anwesend gezählt. Sie können das später zurücknehmen.",
        "Ja, Teilnahme vermerken",
        Danger: false,
        "Die Teilnahme wurde vermerkt.");

    public static readonly StaffAction UndoAttended = new(
        "teilnahme-zuruecknehmen",
        "Teilnahme zurücknehmen",
        "Die Person wird nicht mehr als anwesend gezählt.",
        "Ja, Teilnahme zurücknehmen",
        Danger: false,
        "Die Teilnahme wurde zurückgenommen.");

    public static readonly StaffAction Erase = new(
        "loeschen",
        "Daten endgültig löschen",
        "Die Anmeldung und alle E-Mails an diese Person werden sofort und endgültig gelöscht (Recht auf Löschung, Art. 17 DSGVO). "
            + "Das lässt sich nicht rückgängig machen. Im Protokoll bleibt nur ein Eintrag ohne Namen und Adresse. "
            + "Die Person erhält keine E-Mail; ein frei gewordener Platz wird nicht automatisch nachbesetzt.",
        "Ja, endgültig löschen",
        Danger: true,
        "Die Daten der Person wurden endgültig gelöscht.");

    public static readonly StaffAction Cancel = new(
        "stornieren",
        "Anmeldung stornieren",
        "Die Anmeldung wird storniert und die Person erhält eine E-Mail darüber. War sie bestätigt, rückt die erste Person "
            + "der Warteliste in den frei gewordenen Platz nach und bekommt ebenfalls eine E-Mail.",
        "Ja, stornieren",
        Danger: true,
        "Die Anmeldung wurde storniert; die E-Mail an die Person ist im Versand.");

    public static readonly StaffAction Promote = new(
        "nachruecken",
        "Von der Warteliste bestätigen",
        "Die Person wird bestätigt und erhält eine E-Mail, dass sie nachgerückt ist. Das geht auch, wenn alle Plätze "
            + "vergeben sind; die Veranstaltung ist dann überbucht, und das Protokoll vermerkt es.",
        "Ja, bestätigen",
        Danger: false,
        "Die Person ist nachgerückt; die E-Mail an sie ist im Versand.");

    public static readonly StaffAction Resend = new(
        "bestaetigung-erneut-senden",
        "Bestätigung erneut senden",
        "Die Person erhält ihre Bestätigung (auf der Warteliste: die Wartelisten-E-Mail) mit ihrem persönlichen Link noch einmal.",
        "Ja, erneut senden",
        Danger: false,
        "Die Bestätigung ist erneut im Versand.");

    public static readonly IReadOnlyList<StaffAction> All = [MarkAttended, UndoAttended, Promote, Resend, Cancel, Erase];

    public static StaffAction? Find(string? slug) => All.FirstOrDefault(a => a.Slug == slug);

    /// <summary>The erasure's rows are gone, but copies may remain in the database's write-ahead log (Privacy/Erasure.cs).</summary>
    public const string ErasedLogPendingSlug = "loeschen-unvollstaendig";

    public static bool IsWarning(string slug) => slug == ErasedLogPendingSlug;

    public static string DoneMessage(string slug) => slug == ErasedLogPendingSlug
        ? "Die Anmeldung und ihre E-Mails sind gelöscht, aber die Löschung ist noch nicht vollständig: Ein anderes Programm "
            + "(z. B. eine laufende Sicherung) hält die Datenbank offen, sodass Kopien der Daten noch in der Protokolldatei "
            + "(cdoforum.db-wal) stehen können. Sie verschwinden beim nächsten Löschlauf (spätestens in einer Stunde); "
            + "bitte prüfen Sie, welches Programm die Datenbank geöffnet hält."
        : Find(slug)?.DoneMessage ?? "Erledigt.";
}
