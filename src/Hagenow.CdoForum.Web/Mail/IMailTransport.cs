namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Hands one finished message on. Throws <see cref="MailTransportException"/> when the server or folder cannot be
/// reached (the outbox pauses and retries), MailKit's SmtpCommandException for the server's answer to this message.
/// </summary>
public interface IMailTransport
{
    /// <summary>For the start-up log: where mail goes.</summary>
    string Description { get; }

    /// <summary>
    /// The message as the outbox stored it (MIME with CRLF line ends); a transport that needs it parsed throws
    /// MimeKit's FormatException when it is damaged.
    /// </summary>
    Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken);
}

/// <summary>The way out is down (connection, TLS, login, timeout, a full disk): not this message's fault.</summary>
public sealed class MailTransportException(string message, Exception inner) : Exception(message, inner);
