using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Sends through the configured SMTP server (MailKit), one connection per message.</summary>
public sealed class SmtpTransport(IOptions<MailOptions> options) : IMailTransport
{
    private SmtpOptions Smtp => options.Value.Smtp;

    public string Description => $"SMTP {Smtp.Host}:{Smtp.Port} ({Smtp.Security}{(string.IsNullOrEmpty(Smtp.User) ? ", ohne Anmeldung" : $", Benutzer {Smtp.User}")})";

    public async Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken)
    {
        using var message = await MimeMessage.LoadAsync(new MemoryStream(mime), cancellationToken);
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Smtp.TimeoutSeconds).TotalMilliseconds };
        var security = Smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };

        // Timeout covers each read and write; this one covers connecting to a host that never answers.
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(Smtp.TimeoutSeconds));
        try
        {
            await client.ConnectAsync(Smtp.Host ?? "", Smtp.Port, security, connectTimeout.Token);
            if (!string.IsNullOrEmpty(Smtp.User))
            {
                await client.AuthenticateAsync(Smtp.User, Smtp.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailTransportException($"Keine Antwort von {Smtp.Host}:{Smtp.Port} innerhalb von {Smtp.TimeoutSeconds} s.", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ProtocolException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException)
        {
            throw new MailTransportException(ex.Message, ex);
        }
    }
}
