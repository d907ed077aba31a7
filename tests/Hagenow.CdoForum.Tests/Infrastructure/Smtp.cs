using System.Net;
using System.Net.Sockets;
using System.Text;
using Hagenow.CdoForum.Web.Mail;
using netDumbster.smtp;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>SMTP on loopback for tests: a real server (netDumbster) or one that rejects every recipient.</summary>
public static class Smtp
{
    /// <summary>A port nothing listens on right now (the server can be started on it later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static SimpleSmtpServer Start(int port) =>
        Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(port).Build();

    /// <summary>Points the site at SMTP on loopback, no TLS, no login, short timeouts.</summary>
    public static SiteFactory WithSmtp(this SiteFactory site, int port) => site
        .With("Mail:Smtp:Host", "127.0.0.1")
        .With("Mail:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .With("Mail:Smtp:Security", nameof(SmtpSecurity.None))
        .With("Mail:Smtp:TimeoutSeconds", "5");

    /// <summary>Waits (in real time, advancing the fake clock a little each round) until the condition holds.</summary>
    public static async Task<bool> EventuallyAsync(this SiteFactory site, Func<Task<bool>> condition, TimeSpan? advanceEachRound = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            if (advanceEachRound is { } step)
            {
                site.Clock.Advance(step);
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return await condition();
    }
}

/// <summary>
/// Answers like a mail server that refuses a recipient for good (550 on RCPT TO): every recipient, or those the
/// given rule picks; takes the messages of the others. Counts connections, rejections and messages taken.
/// </summary>
public sealed class RejectingSmtpServer : IDisposable
{
    public const string Answer = "5.1.1 Mailbox unknown";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, bool> _rejects;

    public RejectingSmtpServer(Func<string, bool>? rejects = null)
    {
        _rejects = rejects ?? (_ => true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public int Rejected { get; private set; }

    public int Connections { get; private set; }

    /// <summary>The RCPT TO lines of the messages taken (DATA ended with 250).</summary>
    public List<string> Delivered { get; } = [];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                Connections++;
                await writer.WriteLineAsync("220 localhost ESMTP test");
                string? recipient = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var command = line.Split(' ', ':')[0].ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 localhost");
                            break;
                        case "RCPT" when _rejects(line):
                            Rejected++;
                            await writer.WriteLineAsync($"550 {Answer}");
                            break;
                        case "RCPT":
                            recipient = line;
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            Delivered.Add(recipient ?? "");
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            break;
                        default:
                            await writer.WriteLineAsync("250 OK");
                            break;
                    }

                    if (command == "QUIT")
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // Stopped.
        }
    }
}
