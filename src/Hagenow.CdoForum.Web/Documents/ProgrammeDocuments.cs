using Hagenow.CdoForum.Web.Events;
using Microsoft.Extensions.Caching.Memory;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>
/// Rendered programmes, once per event version: keyed by slug, <see cref="Event.Sequence"/>, renderer version and the
/// event page's address (it is printed in the footer). Bounded by size; old versions simply age out.
/// </summary>
public sealed class ProgrammeDocuments(ProgrammePdf pdf) : IDisposable
{
    /// <summary>A programme is some 40–150 KB; this keeps a few hundred of them.</summary>
    private const long CacheBytes = 32 * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    public static string ETag(Event ev, Uri eventPage)
    {
        ArgumentNullException.ThrowIfNull(ev);
        return ETag(ev.Slug, ev.Sequence, eventPage);
    }

    public static string ETag(string slug, int sequence, Uri eventPage)
    {
        ArgumentNullException.ThrowIfNull(eventPage);
        return $"\"{slug}-{sequence}-r{ProgrammePdf.RendererVersion}-{AddressHash(eventPage)}\"";
    }

    public static string FileName(Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var series = new string([.. ev.Series.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return $"{(series.Length > 0 ? series : "Veranstaltung")}-{ev.Date:yyyy-MM-dd}-Programm.pdf";
    }

    public byte[] Get(Event ev, Uri eventPage)
    {
        var key = ETag(ev, eventPage);
        if (_cache.TryGetValue(key, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        var bytes = pdf.Render(ev, eventPage);
        _cache.Set(key, bytes, new MemoryCacheEntryOptions { Size = bytes.Length, SlidingExpiration = TimeSpan.FromDays(1) });
        return bytes;
    }

    public void Dispose() => _cache.Dispose();

    private static string AddressHash(Uri eventPage)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventPage.AbsoluteUri));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }
}
