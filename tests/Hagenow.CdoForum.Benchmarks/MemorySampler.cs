using System.Globalization;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>Samples a process's resident memory from /proc/&lt;pid&gt;/status (VmRSS now, VmHWM the kernel's high-water mark).</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxRss;

    public MemorySampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(async () =>
        {
            // Bounded: at most one hour of samples every 50 ms.
            for (var i = 0; i < 72_000 && !_stop.IsCancellationRequested; i++)
            {
                var rss = Read(_pid, "VmRSS:");
                if (rss > Interlocked.Read(ref _maxRss))
                {
                    Interlocked.Exchange(ref _maxRss, rss);
                }

                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long MaxSampledRss => Interlocked.Read(ref _maxRss);

    public long CurrentRss => Read(_pid, "VmRSS:");

    public long HighWaterMark => Read(_pid, "VmHWM:");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Bytes of a "kB" line of /proc/&lt;pid&gt;/status; 0 when the process is gone.</summary>
    public static long Read(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var number = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
