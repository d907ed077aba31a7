namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// An e-mail waiting to be sent. Written in the same transaction as the change that causes it, so a registration and
/// its confirmation are stored together or not at all. Either it carries the composed message (<see cref="Mime"/>), or
/// it is composed when it is sent (<see cref="ComposeWhenSent"/>).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public int? RegistrationId { get; set; }

    public MailKind Kind { get; set; }

    public required string Recipient { get; set; }

    /// <summary>
    /// <see cref="MailAddresses.InboxKey"/> of the recipient: what the per-inbox limit on mails caused by public actions
    /// counts, over all registrations and mail kinds.
    /// </summary>
    public string RecipientKey { get; set; } = "";

    /// <summary>The Message-ID (without angle brackets); the pickup folder names the file after it, so erasure finds the file.</summary>
    public string? MessageId { get; set; }

    public required string Subject { get; set; }

    /// <summary>The whole MIME message as it will go on the wire; cleared once sent (it holds the participant's link).</summary>
    public byte[]? Mime { get; set; }

    /// <summary>
    /// The mails about a registration (confirmation, waiting list, moving up, cancellation, link, reminder) store no
    /// body: the outbox composes them from the registration as it is when they are sent (<see cref="IOutboxComposer"/>),
    /// with this row's <see cref="MessageId"/> and <see cref="CreatedAtUtc"/> as Message-ID and date, so a mail sent again
    /// after a crash is the same message. The database then never holds a mail with the participant's link.
    /// </summary>
    public bool ComposeWhenSent { get; set; }

    /// <summary>For a waiting-list mail composed when sent: the place on the list when the row was written.</summary>
    public int? WaitingPosition { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime NextAttemptAtUtc { get; set; }

    public DateTime? SentAtUtc { get; set; }

    /// <summary>
    /// The instance that claimed this row to send it, until <see cref="LeaseUntilUtc"/>. Another instance takes the row
    /// only after the lease ran out (the first one died mid-batch), so two instances never send it at the same time.
    /// </summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }

    /// <summary>The mail server's last answer, for staff; never contains the message body.</summary>
    public string? LastError { get; set; }
}

public enum MailKind
{
    Confirmation,
    WaitingList,
    MovedUp,
    Cancellation,
    LinkAgain,
    Reminder,
    StaffAccount,
    Certificate,

    /// <summary>"Änderung": date, time, format, place or access of the event changed; an updated invite.</summary>
    Change,

    /// <summary>"Absage": the event is called off; METHOD:CANCEL.</summary>
    EventCancelled,

    /// <summary>A message staff wrote to a group of participants.</summary>
    Message,
}

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
}
