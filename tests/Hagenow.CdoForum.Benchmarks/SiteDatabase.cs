using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>Direct access to the benchmark's copy of the site database (never a real one): counting and seeding.</summary>
internal sealed class SiteDatabase(string file)
{
    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();

    public long CountRegistrations(string slug, string emailPrefix)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM Registrations r JOIN Events e ON e.Id = r.EventId
            WHERE e.Slug = $slug AND substr(r.Email, 1, length($prefix)) = $prefix
            """;
        command.Parameters.AddWithValue("$slug", slug);
        command.Parameters.AddWithValue("$prefix", emailPrefix);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Rows of this prefix and the distinct addresses among them, in one statement: equal when nothing was stored twice.</summary>
    public (long Rows, long Addresses) CountRegistrationsAndAddresses(string slug, string emailPrefix)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*), COUNT(DISTINCT r.EmailNormalized) FROM Registrations r JOIN Events e ON e.Id = r.EventId
            WHERE e.Slug = $slug AND substr(r.Email, 1, length($prefix)) = $prefix
            """;
        command.Parameters.AddWithValue("$slug", slug);
        command.Parameters.AddWithValue("$prefix", emailPrefix);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public long CountPendingMail()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Pending'";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Inserts <paramref name="count"/> confirmed registrations for the event in one transaction, straight into
    /// SQLite (much faster than the form). Names carry umlauts; every 250th organisation starts with "=" so CSV
    /// neutralising is part of the work. Access keys and token hashes are random: nobody opens these registrations.
    /// </summary>
    public void SeedRegistrations(string slug, int count)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT Id FROM Events WHERE Slug = $slug";
        find.Parameters.AddWithValue("$slug", slug);
        var eventId = (long)(find.ExecuteScalar() ?? throw new InvalidOperationException($"Event {slug} is missing."));

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Registrations (EventId, Status, FirstName, LastName, Email, EmailNormalized, Organisation, JobTitle,
                Question, AccessibilityNeeds, AccessKey, TokenHash, RegisteredAtUtc, UpdatedAtUtc)
            VALUES ($event, 'Confirmed', $first, $last, $email, $email, $org, $job, $question, NULL, $key, $hash, $at, $at)
            """;
        insert.Parameters.AddWithValue("$event", eventId);
        var first = insert.Parameters.Add("$first", SqliteType.Text);
        var last = insert.Parameters.Add("$last", SqliteType.Text);
        var email = insert.Parameters.Add("$email", SqliteType.Text);
        var org = insert.Parameters.Add("$org", SqliteType.Text);
        var job = insert.Parameters.Add("$job", SqliteType.Text);
        var question = insert.Parameters.Add("$question", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        string[] firstNames = ["Jörg", "Änne", "Claudia", "Sören", "Frederike", "Lea-Marie", "Björn", "Özlem", "Maximilian", "Ute"];
        string[] lastNames = ["Müller", "Schäfer", "Kaltenbach", "Groß", "Rokitta", "Weiß", "Haupt", "Öztürk", "Schulze", "Krüger"];
        var start = new DateTime(2026, 4, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            first.Value = firstNames[i % firstNames.Length];
            last.Value = $"{lastNames[i * 7 % lastNames.Length]} {i}";
            email.Value = $"teilnahme-{i}@kommune-{i % 400}.example.de";
            org.Value = i % 250 == 0 ? "=Stadt Formel" : $"Stadtverwaltung Gemeinde Nr. {i % 400}, Fachbereich Digitalisierung";
            job.Value = i % 3 == 0 ? DBNull.Value : "Chief Digital Officer";
            question.Value = i % 5 == 0 ? "Wie finanzieren Sie den Experimentierraum langfristig, und wer betreut ihn?" : DBNull.Value;
            key.Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            hash.Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            at.Value = start.AddSeconds(i * 13).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=10000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
