using System.Diagnostics;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>One request of a virtual user; returns whether the answer was the expected one.</summary>
internal delegate Task<bool> Operation(int worker, CancellationToken cancellationToken);

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send one request after the other, first for the
/// warm-up, then for the measured phase. Only requests that start and end inside the measured phase count.
/// </summary>
internal static class LoadGenerator
{
    /// <summary>Upper bound per worker so a broken clock or a zero-latency fault cannot loop for ever.</summary>
    private const int MaxRequestsPerWorker = 2_000_000;

    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmUp, TimeSpan measure, Operation operation)
    {
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        // Hard stop: the phase plus the HttpClient timeout plus slack, whatever happens.
        using var hardStop = new CancellationTokenSource(warmUp + measure + TimeSpan.FromSeconds(45));

        var perWorker = new List<long>[concurrency];
        var failures = new int[concurrency];
        var warmUpRequests = new int[concurrency];
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            perWorker[worker] = new List<long>(capacity: 4096);
            workers[worker] = Task.Run(async () =>
            {
                for (var i = 0; i < MaxRequestsPerWorker; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (t0 >= measureEnd || hardStop.IsCancellationRequested)
                    {
                        return;
                    }

                    bool ok;
                    try
                    {
                        ok = await operation(worker, hardStop.Token);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        ok = false;
                    }

                    var t1 = Stopwatch.GetTimestamp();
                    if (t0 < measureStart)
                    {
                        warmUpRequests[worker]++;
                        continue;
                    }

                    if (t1 > measureEnd)
                    {
                        continue;
                    }

                    if (ok)
                    {
                        perWorker[worker].Add(t1 - t0);
                    }
                    else
                    {
                        failures[worker]++;
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        var latencies = perWorker.SelectMany(l => l).ToArray();
        return LoadResult.From(name, concurrency, measure, latencies, failures.Sum(), warmUpRequests.Sum());
    }
}

internal sealed record LoadResult(
    string Name,
    int Concurrency,
    double Seconds,
    int Requests,
    int Failures,
    int WarmUpRequests,
    double RequestsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyList<HistogramBucket> Histogram)
{
    public static LoadResult From(string name, int concurrency, TimeSpan measured, long[] ticks, int failures, int warmUp)
    {
        Array.Sort(ticks);
        var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        return new LoadResult(
            name,
            concurrency,
            measured.TotalSeconds,
            ms.Length,
            failures,
            warmUp,
            ms.Length / measured.TotalSeconds,
            Percentile(ms, 0.50),
            Percentile(ms, 0.90),
            Percentile(ms, 0.99),
            ms.Length == 0 ? double.NaN : ms[^1],
            HistogramBucket.From(ms));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

/// <summary>Requests whose latency is at most <see cref="UpToMs"/> (and above the previous bucket).</summary>
internal sealed record HistogramBucket(double UpToMs, int Count)
{
    private static readonly double[] Bounds = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 200, 500, 1000, double.PositiveInfinity];

    public static IReadOnlyList<HistogramBucket> From(double[] sortedMs)
    {
        var buckets = new List<HistogramBucket>();
        var index = 0;
        foreach (var bound in Bounds)
        {
            var count = 0;
            while (index < sortedMs.Length && sortedMs[index] <= bound)
            {
                count++;
                index++;
            }

            if (count > 0)
            {
                buckets.Add(new HistogramBucket(bound, count));
            }
        }

        return buckets;
    }
}
