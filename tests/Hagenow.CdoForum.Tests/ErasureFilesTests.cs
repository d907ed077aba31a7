using System.Net;
using System.Text;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// An erasure is done when the bytes are gone: from the tables, the database file, its write-ahead log and the mail
/// pickup folder. These tests scan the files themselves.
/// </summary>
public sealed class ErasureFilesTests(ErasureFilesTests.Site site) : IClassFixture<ErasureFilesTests.Site>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Site : SharedSite
    {
        public Site() => With("Privacy:CheckpointWait", "00:00:00.200");
    }

    private sealed record Person(int RegistrationId, string Token, string[] Traces);

    [Fact]
    public async Task Erasure_leaves_no_byte_of_the_person_in_the_database_files_or_the_mail_folder()
    {
        var person = await SignUpCorrectAndMailAsync();
        Assert.NotEmpty(MailFilesWith(person.Traces[0]));

        var outcome = await EraseAsync(person.RegistrationId);

        Assert.Equal(ErasureOutcome.Erased, outcome);
        Assert.Empty(MailFilesWith(person.Traces[0]));
        AssertGoneFromDatabaseFiles(person);
    }

    [Fact]
    public async Task A_reader_holding_the_database_makes_the_erasure_report_itself_incomplete_until_a_later_checkpoint()
    {
        var person = await SignUpCorrectAndMailAsync();
        await using (var backup = new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False"))
        {
            await backup.OpenAsync(Ct);
            // A reader as a backup tool or a shell would be: a deferred transaction that has read, and holds its snapshot.
            await using var transaction = backup.BeginTransaction(deferred: true);
            await using (var read = backup.CreateCommand())
            {
                read.CommandText = "SELECT count(*) FROM Registrations";
                await read.ExecuteScalarAsync(Ct);
            }

            Assert.Equal(ErasureOutcome.ErasedLogPending, await EraseAsync(person.RegistrationId));
        }

        await site.EraseDueAsync();

        // Truncated by the later checkpoint, or gone: SQLite deletes the log when the last connection to the file closes,
        // e.g. when a test elsewhere in the process clears the connection pools (seen once in CI as a missing file).
        var log = new FileInfo(site.DatabasePath + "-wal");
        Assert.True(!log.Exists || log.Length == 0, $"the write-ahead log still holds {(log.Exists ? log.Length : 0)} bytes");
        AssertGoneFromDatabaseFiles(person);
        Assert.Contains("noch nicht vollständig", Web.Attendees.ActionTexts.DoneMessage(Web.Attendees.ActionTexts.ErasedLogPendingSlug), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_written_before_secure_delete_is_cleaned_once_at_start()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-vacuum-").FullName;
        try
        {
            var marker = $"Altlast{Guid.NewGuid():N}";
            var database = Path.Combine(folder, "cdoforum.db");
            await using (var old = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await old.OpenAsync(Ct);
                await using var command = old.CreateCommand();
                // Many pages, so the migrations cannot happen to reuse them all.
                command.CommandText = $"""
                    PRAGMA secure_delete=OFF;
                    CREATE TABLE Old(x TEXT);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                    INSERT INTO Old SELECT '{marker}' || printf('%.2000c', 'x') FROM n;
                    DELETE FROM Old;
                    DROP TABLE Old;
                    """;
                await command.ExecuteNonQueryAsync(Ct);
            }

            Assert.True(Contains(await File.ReadAllBytesAsync(database, Ct), marker), "precondition: the deleted text is still in the file");

            using (var site = new SiteFactory(folder, SiteFactory.AfterSeedEvent).WithoutBackgroundJobs())
            {
                _ = site.Services;
                var version = await site.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT user_version AS Value FROM pragma_user_version").SingleAsync(Ct));
                Assert.Equal(DataSetup.CleanedUserVersion, version);
            }

            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(folder, "cdoforum.db*"))
            {
                Assert.False(Contains(await File.ReadAllBytesAsync(file, Ct), marker), $"{Path.GetFileName(file)} still holds the deleted text");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Signs up (confirmation mail), corrects the name (the old one is overwritten), sends the mail to the pickup folder.</summary>
    private async Task<Person> SignUpCorrectAndMailAsync()
    {
        var slug = $"loeschen-{Guid.NewGuid():N}"[..20];
        await site.ImportAsync(TestEvents.Future(slug));
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"spur{id}@hagenow.de";
        var client = site.CreatePlainClient();
        var fields = SignUpForm.Valid(email);
        fields["LastName"] = $"Erstname{id}";
        using var signUp = await SignUpForm.SignUpAsync(client, slug, fields);
        Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
        var page = signUp.Headers.Location!.OriginalString;
        using var correction = await SignUpForm.SubmitAsync(client, page, new Dictionary<string, string>
        {
            ["FirstName"] = "Erika",
            ["LastName"] = $"Zweitname{id}",
            ["Organisation"] = $"Amt{id}",
            ["JobTitle"] = "",
        });
        Assert.Equal(HttpStatusCode.SeeOther, correction.StatusCode);
        await site.SendDueMailAsync();
        var registrationId = await site.WithDbAsync(db => db.Registrations.Where(r => r.Event.Slug == slug).Select(r => r.Id).SingleAsync(Ct));
        var token = page["/anmeldung/".Length..];
        return new Person(registrationId, token, [email, $"Erstname{id}", $"Zweitname{id}", $"Amt{id}", token]);
    }

    private async Task<ErasureOutcome> EraseAsync(int registrationId)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Erasure>().EraseAsync(registrationId, "team@kts.example.de", Ct);
    }

    private List<string> MailFilesWith(string text) =>
        [.. Directory.GetFiles(site.MailFolder, "*.eml").Where(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal))];

    private void AssertGoneFromDatabaseFiles(Person person)
    {
        foreach (var file in Directory.GetFiles(site.Folder, "cdoforum.db*"))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (FileNotFoundException)
            {
                continue; // the log, deleted with the last connection since the listing: it holds nothing any more
            }

            foreach (var trace in person.Traces)
            {
                Assert.False(Contains(bytes, trace), $"{Path.GetFileName(file)} still holds {trace}");
            }
        }
    }

    private static bool Contains(byte[] haystack, string text) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
