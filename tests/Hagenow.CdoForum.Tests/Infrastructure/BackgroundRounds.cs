using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// With <c>BackgroundJobs:Enabled=false</c> the outbox, the reminders and the retention never run on their own: the test
/// runs one round when it wants one, on the site's fake clock, and can count exactly what the round did.
/// </summary>
public static class BackgroundRounds
{
    /// <summary>Call before the first request.</summary>
    public static SiteFactory WithoutBackgroundJobs(this SiteFactory site) => site.With(BackgroundJobs.EnabledKey, "false");

    /// <summary>One outbox round (one batch of due mails); returns how long the loop would wait before the next.</summary>
    public static Task<TimeSpan> SendDueMailAsync(this SiteFactory site) =>
        site.Services.GetRequiredService<MailOutbox>().SendDueAsync(TestContext.Current.CancellationToken);

    public static Task<int> QueueDueRemindersAsync(this SiteFactory site) =>
        site.Services.GetRequiredService<ReminderJob>().QueueDueAsync(TestContext.Current.CancellationToken);

    public static async Task<int> EraseDueAsync(this SiteFactory site)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Retention>().EraseDueAsync(TestContext.Current.CancellationToken);
    }
}
