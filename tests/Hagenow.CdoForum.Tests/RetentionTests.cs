using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

[Trait("Engines", "Both")]
public sealed class RetentionTests : IDisposable
{
    private const string Slug = "cdo-forum-2027-05-12";

    /// <summary>The test event ends on 12 May 2027 at 14:00 Berlin summer time.</summary>
    private static readonly DateTimeOffset EventEnd = new(2027, 5, 12, 14, 0, 0, TimeSpan.FromHours(2));

    private readonly SiteFactory _site = new(new DateTimeOffset(2027, 5, 1, 9, 0, 0, TimeSpan.FromHours(2)));

    public void Dispose() => _site.Dispose();

    private async Task<Event> ArrangeAsync()
    {
        var ev = await _site.ImportAsync(TestEvents.Future(Slug, capacity: 3));
        await _site.AddRegistrationAsync(ev.Id, r => (r.LastName, r.Email, r.AttendedAtUtc) = ("Vergessmeinnicht", "vergiss@example.org", EventEnd.UtcDateTime));
        await _site.AddRegistrationAsync(ev.Id);
        await _site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Waiting);
        var cancelled = await _site.AddRegistrationAsync(ev.Id, r => r.Status = RegistrationStatus.Cancelled);
        await using var scope = _site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Web.Data.CdoForumDbContext>();
        var now = _site.Clock.GetUtcNow().UtcDateTime;
        db.OutboxMessages.Add(new OutboxMessage
        {
            RegistrationId = cancelled.Id, Kind = MailKind.Cancellation, Recipient = cancelled.Email, Subject = "Stornierung",
            Status = OutboxStatus.Sent, CreatedAtUtc = now, NextAttemptAtUtc = now, SentAtUtc = now,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return ev;
    }

    private async Task<int> RunRetentionAsync()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Retention>().EraseDueAsync(TestContext.Current.CancellationToken);
    }

    private Task<int> RegistrationCountAsync(int eventId) =>
        _site.WithDbAsync(db => db.Registrations.CountAsync(r => r.EventId == eventId, TestContext.Current.CancellationToken));

    [Fact]
    public async Task Registrations_are_kept_until_ninety_days_after_the_end_and_erased_then()
    {
        var ev = await ArrangeAsync();

        _site.Clock.SetUtcNow(EventEnd.AddDays(89));
        await RunRetentionAsync();
        Assert.Equal(4, await RegistrationCountAsync(ev.Id));

        _site.Clock.SetUtcNow(EventEnd.AddDays(90).AddMinutes(-1));
        await RunRetentionAsync();
        Assert.Equal(4, await RegistrationCountAsync(ev.Id));

        _site.Clock.SetUtcNow(EventEnd.AddDays(90));
        await RunRetentionAsync();
        Assert.Equal(0, await RegistrationCountAsync(ev.Id));
        Assert.Equal(0, await _site.WithDbAsync(db => db.OutboxMessages.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Empty(await DatabaseTrace.FindAsync(_site, "Vergessmeinnicht"));
        Assert.Empty(await DatabaseTrace.FindAsync(_site, "vergiss@example.org"));

        var stored = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Id == ev.Id, TestContext.Current.CancellationToken));
        Assert.Equal((2, 1, 1, 1), (stored.ArchivedConfirmedCount, stored.ArchivedWaitingCount, stored.ArchivedCancelledCount, stored.ArchivedAttendedCount));
        Assert.Equal(EventEnd.AddDays(90).UtcDateTime, stored.PersonalDataErasedAtUtc);
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.EventId == ev.Id, TestContext.Current.CancellationToken));
        Assert.Equal((AuditLog.SystemActor, AuditAction.RetentionErased.Code, (int?)null), (audit.Actor, audit.Action, audit.RegistrationId));
        Assert.StartsWith("4 Anmeldungen gelöscht", audit.Details, StringComparison.Ordinal);

        await RunRetentionAsync(); // nothing left to do: no second audit entry
        Assert.Equal(1, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EventId == ev.Id, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task The_period_comes_from_Privacy_RetentionDays()
    {
        _site.With("Privacy:RetentionDays", "30");
        var ev = await ArrangeAsync();

        _site.Clock.SetUtcNow(EventEnd.AddDays(30).AddMinutes(-1));
        await RunRetentionAsync();
        Assert.Equal(4, await RegistrationCountAsync(ev.Id));

        _site.Clock.SetUtcNow(EventEnd.AddDays(30));
        await RunRetentionAsync();
        Assert.Equal(0, await RegistrationCountAsync(ev.Id));
    }

    [Fact]
    public async Task The_background_job_erases_on_the_site_clock_and_the_overview_shows_the_anonymous_counts()
    {
        var ev = await ArrangeAsync();

        // The first run comes after the jump, 10 minutes too early for this event; it erases the long-past seed event.
        _site.Clock.SetUtcNow(EventEnd.AddDays(90).AddMinutes(-10));
        await WaitUntilAsync(() => _site.WithDbAsync(db => db.Events.AnyAsync(e => e.Slug == TestEvents.SeedSlug && e.PersonalDataErasedAtUtc != null,
            TestContext.Current.CancellationToken)));
        Assert.Equal(4, await RegistrationCountAsync(ev.Id));

        _site.Clock.Advance(RetentionService.Interval); // the next hourly run: due
        await WaitUntilAsync(async () => await RegistrationCountAsync(ev.Id) == 0);

        Assert.Equal(0, await RegistrationCountAsync(ev.Id));
        var client = await _site.CreateStaffClientAsync();
        var (_, overview) = await client.GetTextAsync("/intern");
        Assert.Matches("Testveranstaltung cdo-forum-2027-05-12.*?</td> <td class=\"num\">2</td> <td class=\"num\">1</td> <td class=\"num\">1</td> <td class=\"num\">1</td> <td> <span>Personenbezogene Daten gelöscht am", overview);
        var (_, list) = await client.GetTextAsync($"/intern/veranstaltungen/{Slug}");
        Assert.Contains("Erhalten sind nur die Zahlen: 2 bestätigt, 1 auf der Warteliste, 1 storniert, 1 teilgenommen.", list, StringComparison.Ordinal);
    }

    /// <summary>Waits for the background job (polling, up to 20 s on a busy machine); fails the test if it never happens.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The retention job did not run.");
    }

    [Fact]
    public async Task A_retention_period_below_one_day_stops_the_site_from_starting()
    {
        _site.With("Privacy:RetentionDays", "0");

        var error = Assert.ThrowsAny<Exception>(() => _site.Services);

        Assert.Contains("Privacy:RetentionDays muss mindestens 1", error.ToString(), StringComparison.Ordinal);
    }
}
