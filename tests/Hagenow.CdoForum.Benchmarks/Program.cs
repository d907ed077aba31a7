using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Hagenow.CdoForum.Benchmarks;

// One command: publishes the site (Release), starts it in Production on a free loopback port with a fresh database,
// measures, prints a table and writes JSON. See tests/Hagenow.CdoForum.Benchmarks/README.md.
var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

if (options.ProbeUrl is { } probeUrl)
{
    using var probeClient = VirtualUsers.NewClient(probeUrl, options.Concurrency);
    foreach (var path in options.ProbePaths)
    {
        // "signup:SLUG" probes sign-ups through the form of that event instead of a GET.
        var (probeSignUps, _) = path.StartsWith("signup:", StringComparison.Ordinal)
            ? await SignUps.PrepareAsync(probeClient, path["signup:".Length..], options.Concurrency, Guid.NewGuid().ToString("N")[..8], Path.Combine(Path.GetTempPath(), "cdoforum-probe-rejected.txt"))
            : (null, null);
        var r = await LoadGenerator.RunAsync(path, options.Concurrency, options.WarmUp, options.Measure, probeSignUps?.Operation ?? VirtualUsers.Get(probeClient, path));
        Console.WriteLine(FormattableString.Invariant($"{path}: {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Failures} failed"));
    }

    return 0;
}

var total = Stopwatch.StartNew();
var repository = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("cdoforum-bench-").FullName;
var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
var siteLog = Path.Combine(work, "site.log");
var runId = Guid.NewGuid().ToString("N")[..8];
var report = new BenchReport
{
    StartedAt = DateTimeOffset.UtcNow,
    Machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
    LoadBefore = LoadAverage(),
    Concurrency = options.Concurrency,
    MeasuredSecondsPerPhase = options.Measure.TotalSeconds,
    WarmUpSecondsPerPhase = options.WarmUp.TotalSeconds,
};
Log($"work folder {work}");

try
{
    // Published to a fixed folder (ignored by git) so a second run only re-publishes what changed.
    var site = options.SiteFolder ?? await PublishAsync(repository, Path.Combine(repository, "BenchmarkResults", "site"), report);

    // Two future events without a capacity limit, made with `events import` from the seed's own export.
    var eventSlug = $"bench-{runId}";
    var exportSlug = $"bench-export-{runId}";
    await ImportEventAsync(site, data, work, eventSlug);
    await ImportEventAsync(site, data, work, exportSlug);
    var database = new SiteDatabase(Path.Combine(data, "db.sqlite"));
    database.SeedRegistrations(exportSlug, options.ExportRows);
    Log($"seeded {options.ExportRows} registrations for {exportSlug} (direct SQLite insert)");
    report.Notes.Add($"the {options.ExportRows:N0} export rows are inserted straight into the benchmark's SQLite copy, not through the form");
    var staffEmail = $"bench-{runId}@example.org";
    var staffPassword = $"Bench-{Guid.NewGuid():N}-Pw1!";
    var staff = await SiteProcess.RunCommandAsync(site, data, staffPassword + "\n", "staff", "add", "--email", staffEmail);
    var staffCreated = staff.ExitCode == 0;
    if (!staffCreated)
    {
        report.Notes.Add($"staff add failed (exit {staff.ExitCode}): {staff.Error.Trim().Split('\n')[0]}");
    }

    report.DurableFloor.Add(DurableFloor.Measure(data, TimeSpan.FromSeconds(3), 50_000));
    Log($"durable floor: {report.DurableFloor[^1].TransactionsPerSecond:0} tx/s");

    var eventPath = $"/veranstaltungen/{eventSlug}";
    await using (var process = SiteProcess.Start(site, data, siteLog))
    {
        report.ColdStartsMs.Add((await process.WaitForOkAsync(eventPath, TimeSpan.FromSeconds(60))).TotalMilliseconds);
        report.ColdStartsCpuMs.Add(process.CpuTime.TotalMilliseconds);
        Log($"cold start {report.ColdStartsMs[^1]:0} ms, pid {process.Pid}, {process.BaseAddress}");
        await using var memory = new MemorySampler(process.Pid);
        using var client = VirtualUsers.NewClient(process.BaseAddress, options.Concurrency);

        report.StaticFile = await LoadGenerator.RunAsync("GET /css/site.css (static file)", options.Concurrency, options.WarmUp, options.Measure, VirtualUsers.Get(client, "/css/site.css"));
        Log($"static file: {report.StaticFile.RequestsPerSecond:0} req/s");
        report.EventPage = await LoadGenerator.RunAsync($"GET {eventPath} (event page)", options.Concurrency, options.WarmUp, options.Measure, VirtualUsers.Get(client, eventPath));
        Log($"event page: {report.EventPage.RequestsPerSecond:0} req/s");

        var (signUps, reason) = await SignUps.PrepareAsync(client, eventSlug, options.Concurrency, runId, Path.Combine(work, "rejected-sign-ups.txt"));
        if (signUps is null)
        {
            report.Notes.Add($"sign-ups not measured: {reason}");
            Log($"sign-ups skipped: {reason}");
        }
        else
        {
            report.SignUps = await LoadGenerator.RunAsync($"POST {eventPath}/anmeldung (sign-up)", options.Concurrency, options.WarmUp, options.Measure, signUps.Operation);
            var stored = database.CountRegistrations(eventSlug, signUps.EmailPrefix);
            report.SignUpCheck = new SignUpCheck(signUps.Sent, signUps.Accepted, stored, signUps.Statuses.Snapshot(), signUps.FieldNames);
            Log($"sign-ups: {report.SignUps.RequestsPerSecond:0}/s, {signUps.Accepted} accepted, {stored} stored");
            report.OutboxDrainSeconds = await WaitForOutboxAsync(database, TimeSpan.FromSeconds(60));

            // The same form under an outside load generator, when Debian's wrk is installed.
            if (WrkPhase.FindWrk() is { } wrk)
            {
                report.Wrk = await WrkPhase.RunAsync(
                    wrk, process.BaseAddress, signUps.FormAction, signUps.BodyTemplates(), $"wrk-{runId}-",
                    options.Concurrency, options.Measure, work, database, eventSlug);
                Log($"wrk sign-ups: {report.Wrk.SignUpsPerSecond:0}/s, p99 {report.Wrk.P99Ms:0.0} ms, {report.Wrk.Accepted} accepted, {report.Wrk.Stored} stored");
                report.WrkOutboxDrainSeconds = await WaitForOutboxAsync(database, TimeSpan.FromSeconds(60));
            }
            else
            {
                report.Notes.Add("wrk is not on PATH (Debian package wrk): the outside load generator's lines are not measured");
            }
        }

        report.PeakRssAfterLoadPhasesBytes = Math.Max(memory.HighWaterMark, memory.MaxSampledRss);
        report.Downloads.Add(await Downloads.MeasureAsync(client, process.Pid, "Programme PDF", $"{eventPath}/programm.pdf", 30));
        report.Downloads.Add(await Downloads.MeasureAsync(client, process.Pid, "termin.ics", $"{eventPath}/termin.ics", 30));
        if (staffCreated)
        {
            var (cookie, loginProblem) = await Downloads.LogInAsync(client, staffEmail, staffPassword);
            if (cookie is null)
            {
                report.Notes.Add($"exports not measured: {loginProblem}");
            }
            else
            {
                foreach (var format in new[] { "csv", "xlsx", "pdf" })
                {
                    report.Downloads.Add(await Downloads.MeasureAsync(
                        client, process.Pid, $"Export {format.ToUpperInvariant()} of {options.ExportRows:N0} rows",
                        $"/intern/veranstaltungen/{exportSlug}/export.{format}", 5, cookie));
                }
            }
        }

        foreach (var d in report.Downloads)
        {
            Log($"{d.Name}: {d.Status}, first {d.FirstMs:0.0} ms, warm {d.WarmMedianMs:0.0} ms");
        }

        report.PeakRssBytes = Math.Max(memory.HighWaterMark, memory.MaxSampledRss);
        report.MaxSampledRssBytes = memory.MaxSampledRss;
    }

    // A second floor measurement after the load (the disk may have been busy the first time), then two more cold starts.
    report.DurableFloor.Add(DurableFloor.Measure(data, TimeSpan.FromSeconds(3), 50_000));
    for (var i = 0; i < 2; i++)
    {
        await using var again = SiteProcess.Start(site, data, siteLog);
        report.ColdStartsMs.Add((await again.WaitForOkAsync(eventPath, TimeSpan.FromSeconds(60))).TotalMilliseconds);
        report.ColdStartsCpuMs.Add(again.CpuTime.TotalMilliseconds);
    }

    report.InProcess.AddRange(InProcess.MeasureAll(await File.ReadAllTextAsync(Path.Combine(work, $"{eventSlug}.json")), options.ExportRows));
    foreach (var p in report.InProcess)
    {
        Log($"{p.Name}: warm {p.WarmMedianMs:0.00} ms, {p.AllocatedBytesPerCall / 1024.0:0} kB allocated per call");
    }

    report.PostgreSql = await PostgreSqlPhase.RunAsync(options, site, work, Path.Combine(work, $"{eventSlug}.json"), eventSlug, runId, Log);
    if (report.PostgreSql.Skipped is { } skipped)
    {
        Log($"PostgreSQL phase skipped: {skipped}");
    }

    report.LoadAfter = LoadAverage();
    report.TotalSeconds = total.Elapsed.TotalSeconds;
    report.EvaluateGoals();
    Console.WriteLine();
    Console.WriteLine(report.ToTable());
    var outFile = options.OutFile ?? Path.Combine(repository, "BenchmarkResults", $"bench-{report.StartedAt:yyyyMMdd-HHmmss}.json");
    Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
    await File.WriteAllTextAsync(outFile, report.ToJson());
    Console.WriteLine($"JSON: {outFile}");
    Console.WriteLine($"total {report.TotalSeconds:0} s");
    return report.Goals.Any(g => g.Verdict == "MISS") ? 1 : 0;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
{
    Console.Error.WriteLine($"Benchmark failed: {ex.Message}");
    Console.Error.WriteLine($"Site log: {siteLog}");
    options = options with { KeepTempFolder = true };
    return 3;
}
finally
{
    if (options.KeepTempFolder)
    {
        Console.WriteLine($"kept {work}");
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}

static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Hagenow.CdoForum.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Hagenow.CdoForum.sln not found above the benchmark's folder.");
}

static async Task<string> PublishAsync(string repository, string output, BenchReport report)
{
    // As in production (README): for this machine's runtime, framework-dependent, ReadyToRun (set in the web project).
    var runtime = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
    Log($"publishing the site (Release, {runtime}, ReadyToRun) …");
    var stopwatch = Stopwatch.StartNew();
    var info = new ProcessStartInfo("dotnet")
    {
        WorkingDirectory = repository,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (var arg in new[] { "publish", "src/Hagenow.CdoForum.Web/Hagenow.CdoForum.Web.csproj", "-c", "Release", "-r", runtime, "--self-contained", "false", "-o", output, "--nologo", "-v", "quiet", "-p:UseAppHost=false" })
    {
        info.ArgumentList.Add(arg);
    }

    using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start.");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    await process.WaitForExitAsync(timeout.Token);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }

    report.PublishSeconds = stopwatch.Elapsed.TotalSeconds;
    Log($"published in {report.PublishSeconds:0} s");
    return output;
}

static async Task ImportEventAsync(string site, string data, string work, string slug)
{
    var export = await SiteProcess.RunCommandAsync(site, data, null, "events", "export", "cdo-forum-2026-03-11");
    if (export.ExitCode != 0)
    {
        throw new InvalidOperationException($"events export failed: {export.Error}");
    }

    var json = JsonNode.Parse(export.Output)!.AsObject();
    json["slug"] = slug;
    json["date"] = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    json["capacity"] = null;
    json["registrationDeadline"] = null;
    var file = Path.Combine(work, $"{slug}.json");
    await File.WriteAllTextAsync(file, json.ToJsonString());
    var import = await SiteProcess.RunCommandAsync(site, data, null, "events", "import", file);
    if (import.ExitCode != 0)
    {
        throw new InvalidOperationException($"events import failed: {import.Error}");
    }
}

static async Task<double> WaitForOutboxAsync(SiteDatabase database, TimeSpan timeout)
{
    var stopwatch = Stopwatch.StartNew();
    while (stopwatch.Elapsed < timeout)
    {
        if (database.CountPendingMail() == 0)
        {
            return stopwatch.Elapsed.TotalSeconds;
        }

        await Task.Delay(250);
    }

    return double.NaN;
}
