namespace Hagenow.CdoForum.Web.Mail;

/// <summary>The one German label of a mail's kind and sending state, for the staff pages.</summary>
public static class MailTexts
{
    public static string Kind(MailKind kind) => kind switch
    {
        MailKind.Confirmation => "Anmeldebestätigung",
        MailKind.WaitingList => "Platz auf der Warteliste",
        MailKind.MovedUp => "Nachgerückt",
        MailKind.Cancellation => "Stornierung",
        MailKind.LinkAgain => "Link erneut",
        MailKind.Reminder => "Erinnerung",
        _ => kind.ToString(),
    };

    public static string Status(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "wartet auf Versand",
        OutboxStatus.Sent => "gesendet",
        _ => "fehlgeschlagen",
    };
}
