namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Where finished messages go: an SMTP server, or the pickup folder.</summary>
public interface IMailTransport
{
    /// <summary>For the start-up log: where mail goes.</summary>
    string Description { get; }

    /// <summary>
    /// A batch of messages that share one way out: one SMTP connection, one flush of the pickup folder. A message
    /// counts as handed on only once <see cref="IMailBatch.CompleteAsync"/> has returned; the outbox records it as
    /// sent only then.
    /// </summary>
    IMailBatch BeginBatch();
}

/// <summary>
/// One batch. <see cref="SendAsync"/> throws <see cref="MailTransportException"/> when the server or folder cannot be
/// reached (the outbox pauses and retries), MailKit's SmtpCommandException for the server's answer to this message,
/// and MimeKit's FormatException when a transport that parses the stored message finds it damaged.
/// </summary>
public interface IMailBatch : IAsyncDisposable
{
    /// <summary>The message as the outbox stored it (MIME with CRLF line ends).</summary>
    Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken);

    /// <summary>
    /// Makes what <see cref="SendAsync"/> took durable; throws <see cref="MailTransportException"/> when it cannot, and
    /// then none of the batch counts as sent.
    /// </summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>The way out is down (connection, TLS, login, timeout, a full disk): not this message's fault.</summary>
public sealed class MailTransportException(string message, Exception inner) : Exception(message, inner);
