using System.Data.Common;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// The sign-up batches write their rows with <see cref="PreparedInsert{T}"/> instead of SaveChanges: on each engine,
/// every column must hold what SaveChanges would have stored (enums as their names, the engine's date format, nulls).
/// </summary>
[Trait("Engines", "Both")]
public sealed class PreparedInsertTests
{
    private static readonly DateTime At = new(2026, 11, 30, 12, 34, 56, DateTimeKind.Utc);

    [Fact]
    public async Task A_registration_and_its_mail_are_stored_column_for_column_as_SaveChanges_stores_them()
    {
        var ct = TestContext.Current.CancellationToken;
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithoutBackgroundJobs();
        var ev = await site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, ct));

        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var (viaSaveChanges, mailViaSaveChanges) = (NewRegistration(ev, "a"), NewMail("a"));
        var (viaPrepared, mailViaPrepared) = (NewRegistration(ev, "b"), NewMail("b"));
        await using (var write = await db.BeginWriteAsync(ct))
        {
            viaSaveChanges.Mails.Add(mailViaSaveChanges);
            db.Registrations.Add(viaSaveChanges);
            await db.SaveChangesAsync(ct);

            using (var registrations = new PreparedInsert<Registration>(db))
            using (var mails = new PreparedInsert<OutboxMessage>(db))
            {
                await registrations.InsertAsync(viaPrepared, ct);
                mailViaPrepared.RegistrationId = viaPrepared.Id;
                await mails.InsertAsync(mailViaPrepared, ct);
            }

            await write.CommitAsync(ct);
        }

        Assert.NotEqual(0, viaPrepared.Id);
        Assert.NotEqual(0, mailViaPrepared.Id);
        var unique = new[] { "Id", "Email", "EmailNormalized", "AccessKey", "TokenHash", "CertificateCode", "RegistrationId", "Recipient", "RecipientKey", "MessageId" };
        var stored = await RawRowsAsync(db, "Registrations", viaSaveChanges.Id, viaPrepared.Id, ct);
        AssertSameColumns(stored[0], stored[1], unique);
        var storedMails = await RawRowsAsync(db, "OutboxMessages", mailViaSaveChanges.Id, mailViaPrepared.Id, ct);
        AssertSameColumns(storedMails[0], storedMails[1], unique);
        Assert.Equal(viaPrepared.Id, Convert.ToInt32(storedMails[1]["RegistrationId"], System.Globalization.CultureInfo.InvariantCulture));

        // And EF Core reads the prepared row back as it was.
        var read = await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == viaPrepared.Id, ct);
        Assert.Equal((RegistrationStatus.Waiting, At, (DateTime?)null, "Leiterin Digitalisierung"), (read.Status, read.RegisteredAtUtc, read.CancelledAtUtc, read.JobTitle));
        var mail = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == mailViaPrepared.Id, ct);
        Assert.Equal((MailKind.WaitingList, OutboxStatus.Pending, true, (int?)3, (byte[]?)null), (mail.Kind, mail.Status, mail.ComposeWhenSent, mail.WaitingPosition, mail.Mime));
    }

    private static Registration NewRegistration(Event ev, string tag) => new()
    {
        EventId = ev.Id,
        Status = RegistrationStatus.Waiting,
        FirstName = "Jörg",
        LastName = "Müller-Lüdenscheidt",
        Email = $"joerg.{tag}@hagenow.de",
        EmailNormalized = $"joerg.{tag}@hagenow.de",
        Organisation = "Stadt Hagenow",
        JobTitle = "Leiterin Digitalisierung",
        Question = "Gibt es Folien?",
        AccessibilityNeeds = null,
        AccessKey = $"key-{tag}",
        TokenHash = $"hash-{tag}",
        RegisteredAtUtc = At,
        PromotedAtUtc = At.AddTicks(1234567),
        CancelledAtUtc = null,
        AttendedAtUtc = null,
        CertificateCode = null,
        ReminderQueuedAtUtc = null,
        UpdatedAtUtc = At.AddMilliseconds(1),
    };

    private static OutboxMessage NewMail(string tag) => new()
    {
        Kind = MailKind.WaitingList,
        Recipient = $"joerg.{tag}@hagenow.de",
        RecipientKey = $"joerg.{tag}@hagenow.de",
        MessageId = $"{tag}@cdo-forum.example.de",
        Subject = "Warteliste: CDO-Forum am 11. März 2026",
        ComposeWhenSent = true,
        WaitingPosition = 3,
        Status = OutboxStatus.Pending,
        CreatedAtUtc = At,
        NextAttemptAtUtc = At,
    };

    private static async Task<List<Dictionary<string, object?>>> RawRowsAsync(CdoForumDbContext db, string table, long first, long second, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"Id\" IN ({first}, {second}) ORDER BY \"Id\"";
            await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }

            Assert.Equal(2, rows.Count);
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AssertSameColumns(Dictionary<string, object?> expected, Dictionary<string, object?> actual, string[] differing)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var column in expected.Keys.Except(differing))
        {
            Assert.True(Equals(expected[column], actual[column]), $"{column}: SaveChanges stored {Show(expected[column])}, the prepared insert {Show(actual[column])}");
        }
    }

    private static string Show(object? value) => value is null ? "NULL" : $"{value} ({value.GetType().Name})";
}
