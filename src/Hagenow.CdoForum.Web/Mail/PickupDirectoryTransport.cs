using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Writes each message as an .eml file (for development, or for a mail server that collects from a folder).
/// Written to a temporary name first and renamed, so a reader never sees half a file; named after the
/// Message-ID, so a message sent twice after a crash overwrites itself instead of appearing twice.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public string Directory { get; } = directory;

    public string Description => $"Abholordner {Directory} (kein SMTP-Server konfiguriert)";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        var target = Path.Combine(Directory, $"{name}.eml");
        var temporary = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var format = FormatOptions.Default.Clone();
                format.NewLineFormat = NewLineFormat.Dos;
                await message.WriteToAsync(format, stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MailTransportException(ex.Message, ex);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
