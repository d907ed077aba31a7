using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hagenow.CdoForum.Benchmarks;

internal sealed record Goal(string Name, string Measured, string Target, string Verdict);

/// <summary>One artefact fetched over HTTP: the first (cold) answer and warm repetitions.</summary>
internal sealed record DownloadResult(
    string Name, string Path, int Status, string? ContentType, long Bytes, int Iterations,
    double FirstMs, double WarmMedianMs, double WarmMaxMs, long RssBeforeBytes, long RssAfterBytes)
{
    public long RssDeltaBytes => RssAfterBytes - RssBeforeBytes;
}

/// <summary>One call of the site's own code inside the benchmark process: time and bytes allocated per call.</summary>
internal sealed record InProcessResult(string Name, int Iterations, double FirstMs, double WarmMedianMs, long AllocatedBytesPerCall, long OutputBytes);

internal sealed record SignUpCheck(int Sent, int Accepted, long Stored, IReadOnlyDictionary<string, int> Statuses, IReadOnlyList<string> FormFields);

internal sealed class BenchReport
{
    public DateTimeOffset StartedAt { get; init; }
    public string Machine { get; init; } = "";
    public string LoadBefore { get; init; } = "";
    public string LoadAfter { get; set; } = "";
    public int Concurrency { get; init; }
    public double MeasuredSecondsPerPhase { get; init; }
    public double WarmUpSecondsPerPhase { get; init; }
    public double PublishSeconds { get; set; }
    public List<FloorResult> DurableFloor { get; } = [];
    public List<double> ColdStartsMs { get; } = [];
    public List<double> ColdStartsCpuMs { get; } = [];
    public LoadResult? StaticFile { get; set; }
    public LoadResult? EventPage { get; set; }
    public LoadResult? SignUps { get; set; }
    public SignUpCheck? SignUpCheck { get; set; }
    public PostgreSqlResult? PostgreSql { get; set; }
    public double OutboxDrainSeconds { get; set; } = double.NaN;
    public WrkResult? Wrk { get; set; }
    public double WrkOutboxDrainSeconds { get; set; } = double.NaN;
    public List<DownloadResult> Downloads { get; } = [];
    public List<InProcessResult> InProcess { get; } = [];
    public long PeakRssBytes { get; set; }

    /// <summary>The high-water mark when the load phases ended, before the downloads and exports.</summary>
    public long PeakRssAfterLoadPhasesBytes { get; set; }
    public long MaxSampledRssBytes { get; set; }
    public List<string> Notes { get; } = [];
    public List<Goal> Goals { get; } = [];
    public double TotalSeconds { get; set; }

    public double FloorTransactionsPerSecond => DurableFloor.Count == 0 ? double.NaN : DurableFloor.Max(f => f.TransactionsPerSecond);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void EvaluateGoals()
    {
        Goals.Clear();
        if (StaticFile is { } s && EventPage is { } e)
        {
            var ratio = e.RequestsPerSecond / s.RequestsPerSecond;
            Add("Event page vs static file", $"{ratio:0.00} × ({e.RequestsPerSecond:0} / {s.RequestsPerSecond:0} req/s)", "≥ 0.50 ×", ratio >= 0.5);
        }
        else
        {
            Missing("Event page vs static file", "≥ 0.50 ×");
        }

        // Issue 16: sign-ups at the pace of the disk, measured by the benchmark's own virtual users and by wrk.
        const double FloorShare = 0.30;
        if (SignUps is { } u && SignUpCheck is { } check)
        {
            var ratio = u.RequestsPerSecond / FloorTransactionsPerSecond;
            Add("Sign-ups vs durable SQLite floor (benchmark)", $"{ratio:0.00} × ({u.RequestsPerSecond:0} / {FloorTransactionsPerSecond:0} per s)", $"≥ {FloorShare:0.00} ×", ratio >= FloorShare);
            Add("Sign-up p99 latency (benchmark)", $"{u.P99Ms:0.0} ms", "≤ 50 ms", u.P99Ms <= 50);
            Add("Every accepted sign-up stored exactly once (benchmark)", $"{check.Stored} stored / {check.Accepted} accepted", "equal, > 0", check.Accepted > 0 && check.Stored == check.Accepted);
        }
        else
        {
            Missing("Sign-ups vs durable SQLite floor (benchmark)", $"≥ {FloorShare:0.00} ×");
            Missing("Sign-up p99 latency (benchmark)", "≤ 50 ms");
            Missing("Every accepted sign-up stored exactly once (benchmark)", "equal, > 0");
        }

        if (Wrk is { } w)
        {
            var ratio = w.SignUpsPerSecond / FloorTransactionsPerSecond;
            Add("Sign-ups vs durable SQLite floor (wrk)", $"{ratio:0.00} × ({w.SignUpsPerSecond:0} / {FloorTransactionsPerSecond:0} per s)", $"≥ {FloorShare:0.00} ×", ratio >= FloorShare);
            Add("Sign-up p99 latency (wrk)", $"{w.P99Ms:0.0} ms", "≤ 50 ms", w.P99Ms <= 50);
            // wrk stops with up to one request per connection in flight: those may be stored without wrk counting the answer.
            Add("Every accepted sign-up stored exactly once (wrk)", $"{w.Stored} stored ({w.StoredDistinct} addresses) / {w.Accepted} accepted, {w.Connections} connections",
                "accepted ≤ stored ≤ accepted + connections, each address once",
                w.Accepted > 0 && w.Stored >= w.Accepted && w.Stored <= w.Accepted + w.Connections && w.StoredDistinct == w.Stored);
        }
        else
        {
            Missing("Sign-ups vs durable SQLite floor (wrk)", $"≥ {FloorShare:0.00} ×");
            Missing("Sign-up p99 latency (wrk)", "≤ 50 ms");
            Missing("Every accepted sign-up stored exactly once (wrk)", "accepted ≤ stored ≤ accepted + connections, each address once");
        }

        // The goal is the render itself (in process, warm); over HTTP the site serves a cached copy per event version.
        var render = InProcess.FirstOrDefault(p => p.Name == Benchmarks.InProcess.ProgrammeRender);
        var http = Downloads.FirstOrDefault(d => d.Name == "Programme PDF" && d.Status == 200);
        if (render is not null)
        {
            var viaHttp = http is null ? "" : $"; over HTTP warm {http.WarmMedianMs:0.0} ms, first {http.FirstMs:0} ms";
            Add("Programme PDF, warm render", $"{render.WarmMedianMs:0.0} ms (first {render.FirstMs:0} ms{viaHttp})", "≤ 50 ms", render.WarmMedianMs <= 50);
        }
        else
        {
            Missing("Programme PDF, warm render", "≤ 50 ms");
        }

        foreach (var format in new[] { "CSV", "XLSX", "PDF" })
        {
            var name = $"Export {format}";
            if (Downloads.FirstOrDefault(d => d.Name.StartsWith(name, StringComparison.Ordinal)) is { Status: 200 } export)
            {
                Add($"{export.Name}", $"{export.WarmMedianMs:0} ms (first {export.FirstMs:0} ms)", "≤ 1000 ms", export.WarmMedianMs <= 1000);
            }
            else
            {
                Missing($"{name} of 5,000 rows", "≤ 1000 ms");
            }
        }

        if (PeakRssBytes > 0)
        {
            var mb = PeakRssBytes / 1024.0 / 1024.0;
            var load = PeakRssAfterLoadPhasesBytes > 0 ? $" (through the load phases {PeakRssAfterLoadPhasesBytes / 1024.0 / 1024.0:0} MB, then the downloads)" : "";
            Add("Peak RSS of the site under load", $"{mb:0} MB{load}", "≤ 250 MB", mb <= 250);
        }

        if (ColdStartsMs.Count > 0)
        {
            var worst = ColdStartsMs.Max();
            var all = string.Join(", ", ColdStartsMs.Select(c => (c / 1000).ToString("0.00", CultureInfo.InvariantCulture)));
            var cpu = string.Join(", ", ColdStartsCpuMs.Select(c => (c / 1000).ToString("0.00", CultureInfo.InvariantCulture)));
            Add("Cold start to first 200 (worst)", $"{worst / 1000:0.00} s (runs {all} s; CPU {cpu} s)", "≤ 3 s", worst <= 3000);
        }

        PostgreSql?.AddGoals(Goals);
    }

    private void Add(string name, string measured, string target, bool pass) => Goals.Add(new Goal(name, measured, target, pass ? "PASS" : "MISS"));

    private void Missing(string name, string target) => Goals.Add(new Goal(name, "not measured", target, "N/A"));

    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Hagenow.CdoForum benchmark, {StartedAt:yyyy-MM-dd HH:mm} UTC, {Machine}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"load average before: {LoadBefore}; after: {LoadAfter}; {Concurrency} concurrent users, {WarmUpSecondsPerPhase:0} s warm-up + {MeasuredSecondsPerPhase:0} s per phase");
        sb.AppendLine();
        sb.AppendLine("| load phase | req/s | p50 ms | p99 ms | max ms | failed |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in new[] { StaticFile, EventPage, SignUps })
        {
            if (r is not null)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.0} | {r.Failures} |");
            }
        }

        foreach (var f in DurableFloor)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| durable floor: raw SQLite WAL+FULL, 1 thread | {f.TransactionsPerSecond:0} | {f.P50Ms:0.00} | {f.P99Ms:0.00} | | |");
        }

        if (Wrk is { } wr)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| POST sign-up under wrk ({wr.Connections} connections; accepted per s) | {wr.SignUpsPerSecond:0} | {wr.P50Ms:0.00} | {wr.P99Ms:0.00} | {wr.MaxMs:0.0} | {wr.Other + wr.SocketErrors} |");
        }

        if (SignUpCheck is { } c)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"sign-ups: {c.Sent} sent, {c.Accepted} accepted (303), {c.Stored} stored; answers {string.Join(", ", c.Statuses.Select(s => $"{s.Key}×{s.Value}"))}; outbox drained {OutboxDrainSeconds:0.0} s after the phase");
        }

        if (Wrk is { } wx)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"wrk: {wx.Requests} answered in {wx.Seconds:0.0} s, {wx.Accepted} accepted (303), {wx.Other} other answers, {wx.SocketErrors} socket errors/timeouts, {wx.Stored} stored ({wx.StoredDistinct} distinct addresses); outbox drained {WrkOutboxDrainSeconds:0.0} s after; `{wx.Command}`");
        }

        if (PostgreSql is { } pg)
        {
            sb.AppendLine();
            sb.Append(pg.ToTable(SignUps, SignUpCheck, FloorTransactionsPerSecond));
        }

        if (Downloads.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| artefact (HTTP) | status | size | first ms | warm median ms | warm max ms | RSS delta |");
            sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var d in Downloads)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {d.Name} | {d.Status} | {Size(d.Bytes)} | {d.FirstMs:0.0} | {d.WarmMedianMs:0.0} | {d.WarmMaxMs:0.0} | {Size(d.RssDeltaBytes)} |");
            }
        }

        if (InProcess.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| artefact (in process, the site's classes) | calls | first ms | warm median ms | allocated per call | output |");
            sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var p in InProcess)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Iterations} | {p.FirstMs:0.0} | {p.WarmMedianMs:0.0} | {Size(p.AllocatedBytesPerCall)} | {Size(p.OutputBytes)} |");
            }
        }

        sb.AppendLine();
        sb.AppendLine("| goal | measured | target | verdict |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var g in Goals)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {g.Name} | {g.Measured} | {g.Target} | {g.Verdict} |");
        }

        foreach (var note in Notes)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        return sb.ToString();
    }

    private static string Size(long bytes) => Math.Abs(bytes) switch
    {
        >= 1024 * 1024 => $"{bytes / 1024.0 / 1024.0:0.0} MB",
        >= 1024 => $"{bytes / 1024.0:0} kB",
        _ => $"{bytes} B",
    };
}
