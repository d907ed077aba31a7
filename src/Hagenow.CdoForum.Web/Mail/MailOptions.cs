namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Section <c>Mail</c>.</summary>
public sealed class MailOptions
{
    public string From { get; set; } = "KTS Team Wissenstransfer <smartekommunen@iqib.de>";

    /// <summary>Where .eml files go when no SMTP host is set; relative to the content root.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// How long an instance keeps the outbox rows it claimed (<see cref="OutboxMessage.LeaseOwner"/>) before another may
    /// send them: longer than a batch takes even when every mail waits for the SMTP timeout.
    /// </summary>
    public int OutboxLeaseSeconds { get; set; } = 900;
}

public sealed class SmtpOptions
{
    /// <summary>Empty: no SMTP, mails go to the pickup folder.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>Empty: no login.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>For connecting and for each command; a hanging server must not hold the outbox for minutes.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}
