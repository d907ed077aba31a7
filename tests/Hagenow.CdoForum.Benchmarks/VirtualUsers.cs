using System.Collections.Concurrent;
using System.Net;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>HTTP helpers for the load phases: a shared connection pool without a shared cookie jar.</summary>
internal static class VirtualUsers
{
    /// <summary>
    /// One pool of <paramref name="connections"/> keep-alive connections. Cookies are never stored by the handler:
    /// each virtual user carries its own Cookie header, so no two users share an antiforgery cookie or a login.
    /// </summary>
    public static HttpClient NewClient(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static Operation Get(HttpClient client, string path) => async (_, cancellationToken) =>
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>"name=value" of every Set-Cookie of the response, merged into <paramref name="jar"/>.</summary>
    public static void KeepCookies(HttpResponseMessage response, Dictionary<string, string> jar)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return;
        }

        foreach (var cookie in cookies)
        {
            var pair = cookie.Split(';', 2)[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                jar[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
    }

    public static string CookieHeader(Dictionary<string, string> jar) => string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>Counts answers by status code (thread-safe), for the report.</summary>
    public sealed class StatusCounts
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public void Add(HttpStatusCode status) => _counts.AddOrUpdate((int)status, 1, (_, n) => n + 1);

        public IReadOnlyDictionary<string, int> Snapshot() =>
            _counts.OrderBy(c => c.Key).ToDictionary(c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), c => c.Value);
    }
}
