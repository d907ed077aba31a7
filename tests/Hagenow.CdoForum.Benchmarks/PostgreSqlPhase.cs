using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>Sign-ups through the form against one or more site instances on the same PostgreSQL database.</summary>
internal sealed record PostgreSqlSignUps(
    int Instances, LoadResult Load, int Sent, int Accepted, long Stored, IReadOnlyDictionary<string, int> Statuses, double OutboxDrainSeconds);

/// <summary>What the PostgreSQL phase measured; <see cref="Skipped"/> or <see cref="Failed"/> say why something is missing.</summary>
internal sealed class PostgreSqlResult
{
    public string? Skipped { get; init; }
    public string? Failed { get; set; }
    public string ServerVersion { get; set; } = "";
    public string Settings { get; set; } = "";
    public string LoadAtStart { get; init; } = "";
    public List<FloorResult> DurableFloor { get; } = [];
    public List<double> ColdStartsMs { get; } = [];
    public PostgreSqlSignUps? OneInstance { get; set; }
    public PostgreSqlSignUps? TwoInstances { get; set; }

    public double FloorTransactionsPerSecond => DurableFloor.Count == 0 ? double.NaN : DurableFloor.Max(f => f.TransactionsPerSecond);

    /// <summary>Only a check of correctness: throughput on PostgreSQL is a figure, not a goal.</summary>
    public void AddGoals(List<Goal> goals)
    {
        if (Skipped is not null)
        {
            return;
        }

        foreach (var (label, s) in new[] { ("1 instance", OneInstance), ("2 instances", TwoInstances) })
        {
            goals.Add(s is null
                ? new Goal($"PostgreSQL, {label}: every accepted sign-up stored", "not measured", "equal, > 0", "N/A")
                : new Goal($"PostgreSQL, {label}: every accepted sign-up stored", $"{s.Stored} stored / {s.Accepted} accepted", "equal, > 0",
                    s.Accepted > 0 && s.Stored == s.Accepted ? "PASS" : "MISS"));
        }
    }

    /// <summary>Sign-ups per engine beside each other, each as a multiple of its own engine's durable floor.</summary>
    public string ToTable(LoadResult? sqliteSignUps, SignUpCheck? sqliteCheck, double sqliteFloor)
    {
        var sb = new StringBuilder();
        if (Skipped is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL phase skipped: {Skipped}");
            return sb.ToString();
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL {ServerVersion} ({Settings}); load average at the phase's start {LoadAtStart}; instances' cold starts {string.Join(", ", ColdStartsMs.Select(c => (c / 1000).ToString("0.00", CultureInfo.InvariantCulture)))} s");
        sb.AppendLine();
        sb.AppendLine("| sign-ups (POST, same load generator) | req/s | p50 ms | p99 ms | max ms | failed | × own durable floor | accepted / stored | outbox drained |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        if (sqliteSignUps is { } q)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| SQLite, 1 instance | {q.RequestsPerSecond:0} | {q.P50Ms:0.00} | {q.P99Ms:0.00} | {q.MaxMs:0.0} | {q.Failures} | {q.RequestsPerSecond / sqliteFloor:0.00} × ({sqliteFloor:0}/s) | {sqliteCheck?.Accepted} / {sqliteCheck?.Stored} | |");
        }

        foreach (var s in new[] { OneInstance, TwoInstances })
        {
            if (s is not null)
            {
                var l = s.Load;
                sb.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL, {s.Instances} instance{(s.Instances == 1 ? "" : "s")} | {l.RequestsPerSecond:0} | {l.P50Ms:0.00} | {l.P99Ms:0.00} | {l.MaxMs:0.0} | {l.Failures} | {l.RequestsPerSecond / FloorTransactionsPerSecond:0.00} × ({FloorTransactionsPerSecond:0}/s) | {s.Accepted} / {s.Stored} | {s.OutboxDrainSeconds:0.0} s |");
            }
        }

        foreach (var f in DurableFloor)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| durable floor: raw PostgreSQL (Npgsql), synchronous_commit=on, 1 thread | {f.TransactionsPerSecond:0} | {f.P50Ms:0.00} | {f.P99Ms:0.00} | | | | | |");
        }

        if (Failed is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL phase failed: {Failed}");
        }

        return sb.ToString();
    }
}

/// <summary>
/// The sign-up load against the site on PostgreSQL: a throwaway durable cluster (fsync on, synchronous_commit=on,
/// otherwise PostgreSQL's defaults) on a free loopback port, its durable floor with raw Npgsql, then sign-ups with one
/// site instance and with two instances on the same database (the virtual users split across them). See README.md.
/// </summary>
internal static class PostgreSqlPhase
{
    private const string Database = "cdoforum_bench";

    /// <param name="eventFile">The event JSON the SQLite phase imported (its slug is reused on PostgreSQL's own database).</param>
    public static async Task<PostgreSqlResult> RunAsync(BenchOptions options, string site, string work, string eventFile, string slug, string runId, Action<string> log)
    {
        if (options.SkipPostgreSql)
        {
            return new PostgreSqlResult { Skipped = "--no-postgresql" };
        }

        if (PostgreSqlServer.FindBin() is not { } bin)
        {
            return new PostgreSqlResult { Skipped = "no PostgreSQL initdb found (/usr/lib/postgresql/*/bin or PATH); install postgresql to measure it" };
        }

        var result = new PostgreSqlResult
        {
            LoadAtStart = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a",
        };
        PostgreSqlServer? server = null;
        var sites = new List<SiteProcess>();
        try
        {
            server = PostgreSqlServer.Start(bin);
            log($"PostgreSQL cluster on 127.0.0.1:{server.Port} ({server.Folder})");
            server.Execute("postgres", $"CREATE DATABASE {Database}");
            (result.ServerVersion, result.Settings) = server.Describe();
            var connectionString = server.ConnectionString(Database);

            result.DurableFloor.Add(MeasureFloor(connectionString, TimeSpan.FromSeconds(3), 50_000));
            log($"PostgreSQL durable floor: {result.DurableFloor[^1].TransactionsPerSecond:0} tx/s");

            // Registrations:TokenSecret: required in Production with PostgreSQL, the same on every instance.
            var environment = new Dictionary<string, string?>
            {
                ["Database__Provider"] = "PostgreSQL",
                ["ConnectionStrings__CdoForum"] = connectionString,
                ["Registrations__TokenSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            };
            var data = Directory.CreateDirectory(Path.Combine(work, "pg-a")).FullName;
            var import = await SiteProcess.RunCommandWithEnvironmentAsync(site, data, environment, null, "events", "import", eventFile);
            if (import.ExitCode != 0)
            {
                throw new InvalidOperationException($"events import on PostgreSQL failed: {import.Error.Trim()}");
            }

            var eventPath = $"/veranstaltungen/{slug}";
            sites.Add(await StartSiteAsync(site, data, Path.Combine(work, "site-pg-a.log"), environment, eventPath, result, log));
            result.OneInstance = await MeasureSignUpsAsync(options, sites, connectionString, slug, $"{runId}pg1", work, log);

            var dataB = Directory.CreateDirectory(Path.Combine(work, "pg-b")).FullName;
            sites.Add(await StartSiteAsync(site, dataB, Path.Combine(work, "site-pg-b.log"), environment, eventPath, result, log));
            result.TwoInstances = await MeasureSignUpsAsync(options, sites, connectionString, slug, $"{runId}pg2", work, log);

            await StopSitesAsync(sites);
            result.DurableFloor.Add(MeasureFloor(connectionString, TimeSpan.FromSeconds(3), 50_000));
            log($"PostgreSQL durable floor: {result.DurableFloor[^1].TransactionsPerSecond:0} tx/s");
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException or NpgsqlException)
        {
            result.Failed = ex.Message;
            log($"PostgreSQL phase failed: {ex.Message} (site logs in {work}, kept with --keep)");
        }
        finally
        {
            try
            {
                await StopSitesAsync(sites);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                server?.Stop();
            }
        }

        return result;
    }

    private static async Task StopSitesAsync(List<SiteProcess> sites)
    {
        while (sites.Count > 0)
        {
            var site = sites[^1];
            sites.RemoveAt(sites.Count - 1);
            await site.DisposeAsync();
        }
    }

    private static async Task<SiteProcess> StartSiteAsync(
        string site, string data, string logFile, Dictionary<string, string?> environment, string eventPath, PostgreSqlResult result, Action<string> log)
    {
        var process = SiteProcess.Start(site, data, logFile, environment);
        try
        {
            result.ColdStartsMs.Add((await process.WaitForOkAsync(eventPath, TimeSpan.FromSeconds(60))).TotalMilliseconds);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        log($"site on PostgreSQL: pid {process.Pid}, {process.BaseAddress}, cold start {result.ColdStartsMs[^1]:0} ms");
        return process;
    }

    /// <summary>
    /// Virtual user w works with instance w mod n: GETs the form there once (cookie and token of that instance) and
    /// posts there. Same load generator, concurrency and duration as the SQLite phase.
    /// </summary>
    private static async Task<PostgreSqlSignUps> MeasureSignUpsAsync(
        BenchOptions options, List<SiteProcess> sites, string connectionString, string slug, string runId, string work, Action<string> log)
    {
        var n = sites.Count;
        var clients = new List<HttpClient>();
        try
        {
            var parts = new SignUps[n];
            for (var i = 0; i < n; i++)
            {
                var users = Enumerable.Range(0, options.Concurrency).Count(w => w % n == i);
                var client = VirtualUsers.NewClient(sites[i].BaseAddress, users);
                clients.Add(client);
                var (signUps, reason) = await SignUps.PrepareAsync(client, slug, users, $"{runId}i{i}", Path.Combine(work, $"rejected-sign-ups-{runId}.txt"));
                parts[i] = signUps ?? throw new InvalidOperationException($"sign-ups on PostgreSQL not possible: {reason}");
            }

            var name = $"POST /veranstaltungen/{slug}/anmeldung (sign-up, PostgreSQL, {n} instance{(n == 1 ? "" : "s")})";
            var load = await LoadGenerator.RunAsync(name, options.Concurrency, options.WarmUp, options.Measure, (worker, ct) => parts[worker % n].Operation(worker / n, ct));
            long stored = 0;
            foreach (var part in parts)
            {
                stored += CountRegistrations(connectionString, slug, part.EmailPrefix);
            }

            var statuses = parts.SelectMany(p => p.Statuses.Snapshot()).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
            var drain = await WaitForOutboxAsync(connectionString, TimeSpan.FromSeconds(60));
            var result = new PostgreSqlSignUps(n, load, parts.Sum(p => p.Sent), parts.Sum(p => p.Accepted), stored, statuses, drain);
            log($"PostgreSQL sign-ups, {n} instance(s): {load.RequestsPerSecond:0}/s, p99 {load.P99Ms:0} ms, {result.Accepted} accepted, {stored} stored, outbox drained after {drain:0.0} s");
            return result;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static long CountRegistrations(string connectionString, string slug, string emailPrefix)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("""
            SELECT COUNT(*) FROM "Registrations" r JOIN "Events" e ON e."Id" = r."EventId"
            WHERE e."Slug" = @slug AND starts_with(r."Email", @prefix)
            """, connection);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("prefix", emailPrefix);
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<double> WaitForOutboxAsync(string connectionString, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "OutboxMessages" WHERE "Status" = 'Pending'""", connection);
        while (stopwatch.Elapsed < timeout)
        {
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return stopwatch.Elapsed.TotalSeconds;
            }

            await Task.Delay(250);
        }

        return double.NaN;
    }

    /// <summary>
    /// As <see cref="DurableFloor"/> for SQLite: one thread, one transaction per row the size of a registration, raw
    /// Npgsql, a prepared INSERT, synchronous_commit=on (so each COMMIT waits for its WAL flush).
    /// </summary>
    private static FloorResult MeasureFloor(string connectionString, TimeSpan duration, int maxTransactions)
    {
        var table = $"floor_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        connection.Open();
        Execute(connection, "SET synchronous_commit = on");
        Execute(connection, $"""
            CREATE TABLE {table} (
                "Id" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "EventId" integer NOT NULL, "Status" varchar(20) NOT NULL,
                "FirstName" text NOT NULL, "LastName" text NOT NULL, "Email" text NOT NULL, "EmailNormalized" text NOT NULL,
                "Organisation" text NOT NULL, "JobTitle" text, "Question" text, "AccessKey" text NOT NULL, "TokenHash" text NOT NULL,
                "RegisteredAtUtc" timestamp NOT NULL, "UpdatedAtUtc" timestamp NOT NULL);
            CREATE UNIQUE INDEX ix_{table}_token ON {table} ("TokenHash");
            CREATE UNIQUE INDEX ix_{table}_email ON {table} ("EventId", "EmailNormalized");
            """);
        try
        {
            using var insert = new NpgsqlCommand($"""
                INSERT INTO {table} ("EventId", "Status", "FirstName", "LastName", "Email", "EmailNormalized", "Organisation",
                    "JobTitle", "Question", "AccessKey", "TokenHash", "RegisteredAtUtc", "UpdatedAtUtc")
                VALUES (1, 'Confirmed', 'Erika', @last, @email, @email, 'Stadtverwaltung Hagenow, Amt für Digitalisierung',
                    'Sachbearbeiterin Smart City', NULL, @key, @hash, @at, @at)
                """, connection);
            insert.Parameters.Add("last", NpgsqlTypes.NpgsqlDbType.Text);
            insert.Parameters.Add("email", NpgsqlTypes.NpgsqlDbType.Text);
            insert.Parameters.Add("key", NpgsqlTypes.NpgsqlDbType.Text);
            insert.Parameters.Add("hash", NpgsqlTypes.NpgsqlDbType.Text);
            insert.Parameters.Add("at", NpgsqlTypes.NpgsqlDbType.Timestamp);
            insert.Prepare();

            return DurableFloor.TimeInserts(connection, insert, new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Unspecified), duration, maxTransactions);
        }
        finally
        {
            Execute(connection, $"DROP TABLE {table}");
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A throwaway cluster: <c>initdb</c> into a temp folder (as the <c>postgres</c> user when the benchmark runs as
    /// root, which PostgreSQL refuses to be), trust authentication, a free loopback port and its socket in that folder.
    /// Durable: fsync and synchronous_commit stay on (PostgreSQL's defaults). Stopped and deleted by <see cref="Stop"/>,
    /// also when the benchmark process ends without reaching it.
    /// </summary>
    private sealed class PostgreSqlServer
    {
        private readonly string _bin;
        private readonly bool _asPostgres;
        private int _stopped;

        private PostgreSqlServer(string bin, string folder, int port, bool asPostgres)
        {
            _bin = bin;
            Folder = folder;
            Port = port;
            _asPostgres = asPostgres;
        }

        public string Folder { get; }

        public int Port { get; }

        public static string? FindBin()
        {
            var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
            var candidates = versions
                .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var n) ? n : 0)
                .Select(v => Path.Combine(v, "bin"))
                .Concat((System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
            return candidates.FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")));
        }

        public static PostgreSqlServer Start(string bin)
        {
            var asPostgres = System.Environment.UserName == "root";
            var folder = Directory.CreateTempSubdirectory("cdoforum-bench-pg-").FullName;
            var server = new PostgreSqlServer(bin, folder, FreePort(), asPostgres);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
            try
            {
                if (asPostgres)
                {
                    Run("chown", ["postgres:postgres", folder], asPostgres: false);
                }

                // --no-sync only spares initdb's own final flush; the server below runs with fsync on.
                Run(Path.Combine(bin, "initdb"), ["-D", folder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres);
                Run(Path.Combine(bin, "pg_ctl"),
                [
                    "-D", folder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start", "-o",
                    $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on",
                ], asPostgres);
                return server;
            }
            catch
            {
                server.Stop();
                throw;
            }
        }

        public string ConnectionString(string database) =>
            $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

        public void Execute(string database, string sql)
        {
            using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
            connection.Open();
            PostgreSqlPhase.Execute(connection, sql);
        }

        public (string Version, string Settings) Describe()
        {
            using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            connection.Open();
            using var command = new NpgsqlCommand("""
                SELECT current_setting('server_version'),
                       'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')
                       || ', wal_sync_method=' || current_setting('wal_sync_method') || ', shared_buffers=' || current_setting('shared_buffers')
                """, connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetString(0), reader.GetString(1));
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            try
            {
                if (File.Exists(Path.Combine(Folder, "postmaster.pid")))
                {
                    Run(Path.Combine(_bin, "pg_ctl"), ["-D", Folder, "-m", "fast", "-w", "-t", "60", "stop"], _asPostgres);
                }
            }
            catch (InvalidOperationException)
            {
                // Deleting the folder below still removes the data; a server that did not stop shows in the log.
            }
            finally
            {
                try
                {
                    Directory.Delete(Folder, recursive: true);
                }
                catch (IOException)
                {
                    // The OS cleans the temp folder.
                }
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void Run(string program, IEnumerable<string> arguments, bool asPostgres)
        {
            var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = "/tmp",
            };
            if (asPostgres)
            {
                foreach (var a in new[] { "-u", "postgres", "--", program })
                {
                    info.ArgumentList.Add(a);
                }
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} did not finish within two minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
            }
        }
    }
}
