using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

[Trait("Engines", "Both")]
public sealed class ReminderMailTests
{
    private const string Access = "https://konferenz.example.de/j/4711 (Kenncode 2468)";

    private static DateTimeOffset Berlin(int day, int hour, int minute = 0) => BerlinTime.FromLocal(new DateTime(2027, 5, day, hour, minute, 0));

    private static Task<int> RemindersAsync(SiteFactory site) =>
        site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == MailKind.Reminder, TestContext.Current.CancellationToken));

    private static Task<int> QueueAsync(SiteFactory site) =>
        site.Services.GetRequiredService<ReminderJob>().QueueDueAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Reminder_is_queued_once_the_day_before_not_earlier_and_not_twice_even_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-test-").FullName;
        try
        {
            using (var site = new SiteFactory(folder, Berlin(10, 12)))
            {
                var ev = await site.ImportAsync(TestEvents.Future() with { OnlineAccess = Access });
                await site.AddRegistrationAsync(ev, email: "eins@hagenow.de");
                await site.AddRegistrationAsync(ev, email: "zwei@hagenow.de");
                await site.AddRegistrationAsync(ev, email: "warte@hagenow.de", status: RegistrationStatus.Waiting);
                await site.AddRegistrationAsync(ev, email: "storniert@hagenow.de", status: RegistrationStatus.Cancelled);

                await QueueAsync(site);
                Assert.Equal(0, await RemindersAsync(site));

                site.Clock.SetUtcNow(Berlin(11, 7, 59));
                await QueueAsync(site);
                Assert.Equal(0, await RemindersAsync(site));

                site.Clock.SetUtcNow(Berlin(11, 8, 0));
                await QueueAsync(site);
                Assert.Equal(2, await RemindersAsync(site));

                site.Clock.Advance(TimeSpan.FromHours(2));
                await QueueAsync(site);
                Assert.Equal(2, await RemindersAsync(site));

                var reminded = await site.WithDbAsync(db => db.Registrations.Where(r => r.ReminderQueuedAtUtc != null).Select(r => r.Email).OrderBy(e => e).ToListAsync(TestContext.Current.CancellationToken));
                Assert.Equal(["eins@hagenow.de", "zwei@hagenow.de"], reminded);

                var mails = await site.PickedUpAsync(2);
                Assert.All(mails, m => Assert.Equal("Erinnerung: CDO-Forum morgen, Mittwoch, 12. Mai 2027", m.Subject));
                Assert.All(mails, m => Assert.Contains(Access, m.TextBody, StringComparison.Ordinal));
                Assert.All(mails, m => Assert.Contains("morgen", m.TextBody, StringComparison.Ordinal));
            }

            using var restarted = new SiteFactory(folder, Berlin(11, 18));
            await QueueAsync(restarted);
            Assert.Equal(2, await RemindersAsync(restarted));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task No_reminder_on_the_day_itself_when_the_day_before_was_missed()
    {
        using var site = new SiteFactory(Berlin(12, 9));
        var ev = await site.ImportAsync(TestEvents.Future());
        await site.AddRegistrationAsync(ev);

        await QueueAsync(site);

        Assert.Equal(0, await RemindersAsync(site));
    }
}
