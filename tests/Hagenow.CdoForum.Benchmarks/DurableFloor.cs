using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>
/// The machine's floor for durable writes: one SQLite transaction per row (WAL, synchronous=FULL), raw
/// Microsoft.Data.Sqlite, one thread, a row the size of a registration, in the folder the site's database lives in.
/// No web site can store sign-ups durably faster than this on the same disk.
/// </summary>
internal static class DurableFloor
{
    public static FloorResult Measure(string folder, TimeSpan duration, int maxTransactions)
    {
        var file = Path.Combine(folder, $"floor-{Guid.NewGuid():N}.sqlite");
        try
        {
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, """
                CREATE TABLE Registrations (
                    Id INTEGER PRIMARY KEY AUTOINCREMENT, EventId INTEGER NOT NULL, Status TEXT NOT NULL,
                    FirstName TEXT NOT NULL, LastName TEXT NOT NULL, Email TEXT NOT NULL, EmailNormalized TEXT NOT NULL,
                    Organisation TEXT NOT NULL, JobTitle TEXT, Question TEXT, AccessKey TEXT NOT NULL, TokenHash TEXT NOT NULL,
                    RegisteredAtUtc TEXT NOT NULL, UpdatedAtUtc TEXT NOT NULL);
                CREATE UNIQUE INDEX IX_Token ON Registrations (TokenHash);
                CREATE UNIQUE INDEX IX_Email ON Registrations (EventId, EmailNormalized);
                """);

            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO Registrations (EventId, Status, FirstName, LastName, Email, EmailNormalized, Organisation,
                    JobTitle, Question, AccessKey, TokenHash, RegisteredAtUtc, UpdatedAtUtc)
                VALUES (1, 'Confirmed', 'Erika', $last, $email, $email, 'Stadtverwaltung Hagenow, Amt für Digitalisierung',
                    'Sachbearbeiterin Smart City', NULL, $key, $hash, $at, $at);
                """;
            insert.Parameters.Add("$last", SqliteType.Text);
            insert.Parameters.Add("$email", SqliteType.Text);
            insert.Parameters.Add("$key", SqliteType.Text);
            insert.Parameters.Add("$hash", SqliteType.Text);
            insert.Parameters.Add("$at", SqliteType.Text);
            insert.Prepare();

            return TimeInserts(connection, insert, "2026-05-01 10:00:00.1234567", duration, maxTransactions);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
    }

    /// <summary>
    /// One registration-sized row per transaction, for either engine: <paramref name="insert"/> is prepared with its
    /// parameters added in the order last name, e-mail, access key, token hash, time (<paramref name="at"/>, in the
    /// engine's own form).
    /// </summary>
    public static FloorResult TimeInserts(DbConnection connection, DbCommand insert, object at, TimeSpan duration, int maxTransactions)
    {
        var parameters = insert.Parameters;
        var n = 0;
        return Time(InsertOne, duration, maxTransactions);

        void InsertOne()
        {
            n++;
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            parameters[0].Value = $"Mustermann-{n}";
            parameters[1].Value = $"floor-{n}@example.org";
            parameters[2].Value = Guid.NewGuid().ToString("N")[..22];
            parameters[3].Value = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            parameters[4].Value = at;
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>200 warm-up transactions, then one after the other for <paramref name="duration"/>; latency per commit.</summary>
    public static FloorResult Time(Action insertOne, TimeSpan duration, int maxTransactions)
    {
        for (var i = 0; i < 200; i++)
        {
            insertOne();
        }

        var latencies = new List<double>(capacity: 16_384);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration && latencies.Count < maxTransactions)
        {
            var t0 = Stopwatch.GetTimestamp();
            insertOne();
            latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        stopwatch.Stop();
        var sorted = latencies.Order().ToArray();
        return new FloorResult(
            latencies.Count,
            stopwatch.Elapsed.TotalSeconds,
            latencies.Count / stopwatch.Elapsed.TotalSeconds,
            LoadResult.Percentile(sorted, 0.5),
            LoadResult.Percentile(sorted, 0.99));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal sealed record FloorResult(int Transactions, double Seconds, double TransactionsPerSecond, double P50Ms, double P99Ms);
