using Hagenow.CdoForum.Web.Site;

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

    /// <summary>The stored bytes as they are: the outbox wrote them with MimeKit, so there is nothing to parse or re-encode.</summary>
    public async Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken)
    {
        PrivateFiles.EnsureFolder(Directory);
        var name = FileName(messageId);
        var target = Path.Combine(Directory, name);
        var temporary = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Owner only: the file holds a name, an address and the person's secret link.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFiles.FileMode;
            }

            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(mime, cancellationToken);
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

    /// <summary>The file a message with this Message-ID was written to.</summary>
    public static string FileName(string messageId) =>
        string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + ".eml";

    /// <summary>Deletes the files of these messages (erasure, retention); returns how many were there.</summary>
    public int Delete(IEnumerable<string?> messageIds)
    {
        var deleted = 0;
        foreach (var id in messageIds.OfType<string>())
        {
            var file = Path.Combine(Directory, FileName(id));
            if (File.Exists(file))
            {
                File.Delete(file);
                deleted++;
            }
        }

        return deleted;
    }
}
