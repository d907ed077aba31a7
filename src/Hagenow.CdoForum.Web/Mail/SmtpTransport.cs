using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Sends through the configured SMTP server (MailKit): one connection (and one TLS handshake and login) per batch,
/// not per message. After any error the connection is closed and the next message of the batch opens a new one, so
/// a rejected message cannot leave the session in a state that spoils the next.
/// </summary>
public sealed class SmtpTransport(IOptions<MailOptions> options) : IMailTransport
{
    private SmtpOptions Smtp => options.Value.Smtp;

    public string Description => $"SMTP {Smtp.Host}:{Smtp.Port} ({Smtp.Security}{(string.IsNullOrEmpty(Smtp.User) ? ", ohne Anmeldung" : $", Benutzer {Smtp.User}")})";

    public IMailBatch BeginBatch() => new Batch(Smtp);

    private sealed class Batch(SmtpOptions smtp) : IMailBatch
    {
        private SmtpClient? _client;

        public async Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken)
        {
            using var message = await MimeMessage.LoadAsync(new MemoryStream(mime), cancellationToken);
            try
            {
                _client ??= await ConnectAsync(cancellationToken);
                await _client.SendAsync(message, cancellationToken);
            }
            catch (Exception ex)
            {
                Close();
                if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw new MailTransportException($"Keine Antwort von {smtp.Host}:{smtp.Port} innerhalb von {smtp.TimeoutSeconds} s.", ex);
                }

                if (ex is IOException or SocketException or TimeoutException or ProtocolException or AuthenticationException
                    or SslHandshakeException or ServiceNotConnectedException)
                {
                    throw new MailTransportException(ex.Message, ex);
                }

                throw;
            }
        }

        /// <summary>Each message was the server's once it answered 250; QUIT is a courtesy, its failure changes nothing.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (_client is { IsConnected: true } client)
            {
                try
                {
                    await client.DisconnectAsync(quit: true, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ProtocolException or OperationCanceledException)
                {
                    // The messages are delivered; only the goodbye failed.
                }
            }

            Close();
        }

        public ValueTask DisposeAsync()
        {
            Close();
            return ValueTask.CompletedTask;
        }

        private void Close()
        {
            _client?.Dispose();
            _client = null;
        }

        private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
        {
            var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
            try
            {
                var security = smtp.Security switch
                {
                    SmtpSecurity.None => SecureSocketOptions.None,
                    SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.StartTls,
                };

                // Timeout covers each read and write; this one covers connecting to a host that never answers.
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(smtp.TimeoutSeconds));
                await client.ConnectAsync(smtp.Host ?? "", smtp.Port, security, connectTimeout.Token);
                if (!string.IsNullOrEmpty(smtp.User))
                {
                    await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
                }

                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }
}
