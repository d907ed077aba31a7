using System.Runtime.InteropServices;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>
/// Writes each message as an .eml file (for development, or for a mail server that collects from a folder), named
/// after the Message-ID, so a message sent twice after a crash overwrites itself instead of appearing twice. A batch
/// writes its files under temporary names, makes them durable together, and only then renames them, so a reader never
/// sees half a file, not even after a power cut; on Linux one syncfs per step instead of an fsync per file (measured
/// under load: the per-file fsync and rename were ~0.25 ms of CPU per sign-up).
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public string Directory { get; } = directory;

    public string Description => $"Abholordner {Directory} (kein SMTP-Server konfiguriert)";

    public IMailBatch BeginBatch() => new Batch(Directory);

    private sealed class Batch(string directory) : IMailBatch
    {
        private readonly List<(string Temporary, string Target)> _written = [];
        private bool _folderChecked;

        /// <summary>The stored bytes as they are: the outbox wrote them with MimeKit, so there is nothing to parse or re-encode.</summary>
        public async Task SendAsync(string messageId, byte[] mime, CancellationToken cancellationToken)
        {
            var name = FileName(messageId);
            var temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                if (!_folderChecked)
                {
                    PrivateFiles.EnsureFolder(directory);
                    _folderChecked = true;
                }

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
                    if (!OperatingSystem.IsLinux())
                    {
                        stream.Flush(flushToDisk: true);
                    }
                }

                _written.Add((temporary, Path.Combine(directory, name)));
            }
            catch (Exception ex)
            {
                File.Delete(temporary);
                if (ex is IOException or UnauthorizedAccessException)
                {
                    throw new MailTransportException(ex.Message, ex);
                }

                throw;
            }
        }

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (_written.Count == 0)
            {
                return Task.CompletedTask;
            }

            try
            {
                SyncFileSystem(_written[0].Temporary);
                foreach (var (temporary, target) in _written)
                {
                    File.Move(temporary, target, overwrite: true);
                }

                SyncFileSystem(_written[0].Target);
                _written.Clear();
                return Task.CompletedTask;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MailTransportException(ex.Message, ex);
            }
        }

        /// <summary>Files of a batch that did not complete are not mail: they go.</summary>
        public ValueTask DisposeAsync()
        {
            foreach (var (temporary, _) in _written)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left behind under a dot name that no reader takes; the next batch's names differ.
                }
            }

            _written.Clear();
            return ValueTask.CompletedTask;
        }

        /// <summary>On Linux everything written to the folder's file system so far, data and names, reaches the disk.</summary>
        private static void SyncFileSystem(string anyFile)
        {
            if (!OperatingSystem.IsLinux())
            {
                return; // each file was flushed when written; renames are as durable as the platform makes them
            }

            using var handle = File.OpenHandle(anyFile);
            if (SyncFs((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"syncfs für {anyFile} ist fehlgeschlagen (Fehler {Marshal.GetLastPInvokeError()}).");
            }
        }
    }

    // DllImport, not LibraryImport: the signature is blittable, and LibraryImport would need unsafe code in the project.
    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFs(int fileDescriptor);

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
