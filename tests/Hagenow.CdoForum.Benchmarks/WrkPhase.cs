using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>What wrk measured for the sign-up form, and what the database holds afterwards.</summary>
internal sealed record WrkResult(
    string Command, int Connections, double Seconds, int Requests, int Accepted, int Other, int SocketErrors,
    double P50Ms, double P99Ms, double MaxMs, long Stored, long StoredDistinct)
{
    /// <summary>Accepted sign-ups (303) per second.</summary>
    public double SignUpsPerSecond => Accepted / Seconds;
}

/// <summary>
/// The same sign-up form under an outside load generator, Debian's <c>wrk</c>, when it is on PATH. wrk cannot GET a
/// form per connection, so the benchmark's own virtual users fetch the forms first (one antiforgery cookie and token
/// each); a Lua script rotates through them and POSTs each request with a new address
/// (<c>wrk-RUN-THREAD-N@example.org</c>), counts 303 answers as accepted and prints its figures in one line.
/// </summary>
internal static partial class WrkPhase
{
    public static string? FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public static async Task<WrkResult> RunAsync(
        string wrk, Uri baseAddress, string formAction, IReadOnlyList<(string Cookie, string BodyBefore, string BodyAfter)> templates,
        string emailPrefix, int connections, TimeSpan duration, string work, SiteDatabase database, string slug)
    {
        var script = Path.Combine(work, "signup.lua");
        await File.WriteAllTextAsync(script, Script(formAction, templates, emailPrefix));
        var threads = Math.Min(connections, Math.Max(1, Environment.ProcessorCount));
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        string[] args = ["-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--timeout", "10s", "--latency", "-s", script, baseAddress.ToString()];
        var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var line = ResultLine().Match(output);
        if (process.ExitCode != 0 || !line.Success)
        {
            throw new InvalidOperationException($"wrk failed (exit {process.ExitCode}):\n{output}\n{await stderr}");
        }

        // The batch that was being written when wrk closed its connections still commits: let it land before counting.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (stored, distinct) = database.CountRegistrationsAndAddresses(slug, emailPrefix);
        int Int(string name) => int.Parse(line.Groups[name].Value, CultureInfo.InvariantCulture);
        double Ms(string name) => double.Parse(line.Groups[name].Value, CultureInfo.InvariantCulture) / 1000.0;
        return new WrkResult(
            $"wrk {string.Join(' ', args[..^3])} -s signup.lua",
            connections,
            double.Parse(line.Groups["duration"].Value, CultureInfo.InvariantCulture) / 1_000_000.0,
            Int("requests"), Int("accepted"), Int("other"), Int("errors"),
            Ms("p50"), Ms("p99"), Ms("max"),
            stored,
            distinct);
    }

    private static string Script(string formAction, IReadOnlyList<(string Cookie, string BodyBefore, string BodyAfter)> templates, string emailPrefix)
    {
        var lua = new StringBuilder();
        lua.AppendLine("local forms = {");
        foreach (var (cookie, before, after) in templates)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $"  {{ cookie = {Quote(cookie)}, before = {Quote(before)}, after = {Quote(after)} }},");
        }

        lua.AppendLine("}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"local path = {Quote(formAction)}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"local prefix = {Quote(Uri.EscapeDataString(emailPrefix))}");
        lua.Append("""
            local threads = {}
            local next_id = 0
            function setup(thread)
              thread:set("id", next_id)
              next_id = next_id + 1
              table.insert(threads, thread)
            end
            function init(args)
              n = 0
              accepted = 0
              other = 0
            end
            function request()
              n = n + 1
              local form = forms[(n + id * 7) % #forms + 1]
              local body = form.before .. prefix .. id .. "-" .. n .. "%40example.org" .. form.after
              return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = form.cookie }, body)
            end
            function response(status, headers, body)
              if status == 303 and headers["Location"] ~= nil and string.find(headers["Location"], "/anmeldung/", 1, true) then
                accepted = accepted + 1
              else
                other = other + 1
              end
            end
            function done(summary, latency, requests)
              local a, o = 0, 0
              for _, t in ipairs(threads) do
                a = a + t:get("accepted")
                o = o + t:get("other")
              end
              local e = summary.errors
              io.write(string.format("WRK_RESULT requests=%d accepted=%d other=%d errors=%d duration=%d p50=%d p99=%d max=%d\n",
                summary.requests, a, o, e.connect + e.read + e.write + e.timeout, summary.duration,
                latency:percentile(50), latency:percentile(99), latency.max))
            end

            """);
        return lua.ToString();
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"WRK_RESULT requests=(?<requests>\d+) accepted=(?<accepted>\d+) other=(?<other>\d+) errors=(?<errors>\d+) duration=(?<duration>\d+) p50=(?<p50>[\d.]+) p99=(?<p99>[\d.]+) max=(?<max>[\d.]+)")]
    private static partial Regex ResultLine();
}
