using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for this test run: <c>initdb</c> into a temporary folder (as the <c>postgres</c> user
/// when the tests run as root, which PostgreSQL refuses to be), trust authentication on a free loopback port, no system
/// service. Started on first use, stopped when the test process ends. Every site gets a database of its own, copied
/// from a template that was migrated once.
/// </summary>
public sealed class PostgreSqlCluster
{
    private const string Template = "cdoforum_template";

    private static readonly Lazy<PostgreSqlCluster> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    // CREATE DATABASE … TEMPLATE refuses while another session copies the same template.
    private static readonly Lock CreateLock = new();

    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;
    private int _databases;

    private PostgreSqlCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _port = port;
    }

    /// <summary>The cluster of this test run, started on first use.</summary>
    public static PostgreSqlCluster Shared => Instance.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Include Error Detail=true;Maximum Pool Size=30";

    /// <summary>A new database with the site's schema; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"site_{Interlocked.Increment(ref _databases)}";
        lock (CreateLock)
        {
            Execute("postgres", $"CREATE DATABASE {name} TEMPLATE {Template}");
        }

        return ConnectionString(name);
    }

    public void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static PostgreSqlCluster Start()
    {
        var bin = FindBin();
        var asRoot = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory("cdoforum-pg-").FullName;
        if (asRoot)
        {
            Run("chown", ["postgres:postgres", folder]);
        }

        Run(Path.Combine(bin, "initdb"), ["-D", folder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asRoot);
        var port = FreePort();
        // Durability is not what these tests check of PostgreSQL (the benchmark runs a durable cluster): fsync off saves
        // seconds per test run. Enough connections for many sites with a pool each.
        Run(Path.Combine(bin, "pg_ctl"),
        [
            "-D", folder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500",
        ], asRoot);
        var cluster = new PostgreSqlCluster(bin, folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(asRoot);
        cluster.Execute("postgres", $"CREATE DATABASE {Template}");
        var options = new DbContextOptionsBuilder<PostgreSqlDbContext>().UseNpgsql(cluster.ConnectionString(Template) + ";Pooling=false").Options;
        using (var db = new PostgreSqlDbContext(options, new WriteTurn()))
        {
            db.Database.Migrate();
        }

        return cluster;
    }

    private void Stop(bool asRoot)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", _folder, "-m", "immediate", "-w", "stop"], asRoot);
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        }
    }

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions
            .Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL ist nicht installiert (kein /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql (.ci/run tut das).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, IEnumerable<string> arguments, bool asPostgres = false)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within a minute.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }
}
