using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>The published site, run as its own process in Production on a free loopback port with its own data folder.</summary>
internal sealed class SiteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly long _startedAt;

    private SiteProcess(Process process, StreamWriter log, Uri baseAddress, long startedAt)
    {
        _process = process;
        _startedAt = startedAt;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time (user + system, all threads) the process has used so far: a start-up cost that a busy machine does not distort.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux), after the ")" of the name.
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
    }

    /// <summary>Settings every run of the site gets: Production, the temp database, keys and mail folder, no limit for one client.</summary>
    public static Dictionary<string, string?> Environment(string dataFolder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        // Production refuses to start without it; 127.0.0.1 stays an allowed host (loopback).
        ["Site__PublicUrl"] = "https://cdo-forum.example.de",
        ["ConnectionStrings__CdoForum"] = $"Data Source={Path.Combine(dataFolder, "db.sqlite")}",
        ["DataProtection__KeysDirectory"] = Path.Combine(dataFolder, "keys"),
        ["Mail__PickupDirectory"] = Path.Combine(dataFolder, "mail"),
        ["Mail__Smtp__Host"] = "",
        // All load comes from 127.0.0.1: the per-client limit must not be what is measured.
        ["RateLimits__SignUpsPerMinutePerClient"] = "10000000",
        ["Clock__Now"] = null,
        ["ASPNETCORE_URLS"] = null,
    };

    /// <param name="extraEnvironment">Set after <see cref="Environment"/> (e.g. the PostgreSQL phase's provider and connection string).</param>
    public static SiteProcess Start(string siteFolder, string dataFolder, string logFile, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = NewStartInfo(siteFolder, dataFolder, extraEnvironment, "--urls", baseAddress.ToString().TrimEnd('/'));
        var process = new Process { StartInfo = info };
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiteProcess(process, log, baseAddress, startedAt);
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; returns the time since the process was started.</summary>
    public async Task<TimeSpan> WaitForOkAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The site exited with code {_process.ExitCode} before it answered; see the site log.");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(_startedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{path} did not answer 200 within {timeout.TotalSeconds:0} s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    /// <summary>Runs a command of the site (`events import …`, `staff add …`) to completion.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunCommandAsync(string siteFolder, string dataFolder, string? input, params string[] args) =>
        RunCommandWithEnvironmentAsync(siteFolder, dataFolder, null, input, args);

    public static async Task<(int ExitCode, string Output, string Error)> RunCommandWithEnvironmentAsync(
        string siteFolder, string dataFolder, IReadOnlyDictionary<string, string?>? extraEnvironment, string? input, params string[] args)
    {
        var info = NewStartInfo(siteFolder, dataFolder, extraEnvironment, args);
        info.RedirectStandardInput = input is not null;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo NewStartInfo(string siteFolder, string dataFolder, IReadOnlyDictionary<string, string?>? extraEnvironment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = siteFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(siteFolder, "Hagenow.CdoForum.Web.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment(dataFolder).Concat(extraEnvironment ?? new Dictionary<string, string?>()))
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
