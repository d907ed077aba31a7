using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Hands one finished message on. Throws when it could not; the outbox decides about retrying.</summary>
public interface IMailTransport
{
    /// <summary>For the start-up log: where mail goes.</summary>
    string Description { get; }

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
