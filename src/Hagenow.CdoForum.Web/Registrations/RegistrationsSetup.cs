using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>Section <c>RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Form POSTs (sign-up, and a participant's correction or cancellation) per client address and minute.
    /// 30: a town hall behind one NAT address can have a dozen colleagues sign up in the same minute, each perhaps
    /// sending the form twice after a correction, and still not be refused; a script is held to one POST every two
    /// seconds. GET requests are never limited.
    /// </summary>
    public int SignUpsPerMinutePerClient { get; set; } = 30;

    /// <summary>
    /// Mails that public actions (sign-up, "link again", cancellation by the participant) may cause to one inbox per
    /// hour, counted over every registration and mail kind, so the public form cannot be turned on someone's inbox.
    /// 5: a person who signs up for two events, cancels one and asks for a link still gets every mail.
    /// </summary>
    public int MailsPerInboxPerHour { get; set; } = 5;
}

public static class RegistrationsSetup
{
    /// <summary>The rate-limiter policy on the registration pages; it limits POSTs only.</summary>
    public const string FormPostPolicy = "registration-posts";

    /// <summary>
    /// Body (and single value) limit of the registration forms: all fields at their limits in multi-byte UTF-8 fit
    /// easily, and a text far over its limit still reaches validation and gets "höchstens … Zeichen" next to the field.
    /// </summary>
    public const int MaxFormBytes = 64 * 1024;

    public static IServiceCollection AddRegistrations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RegistrationTokens>();
        services.AddSingleton<SignUpCommits>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<RegistrationMails>();
        services.AddScoped<IOutboxComposer, RegistrationMailComposer>();
        services.AddScoped<EventChangeNotices>();
        services.AddScoped<IEventChangeNotifier>(provider => provider.GetRequiredService<EventChangeNotices>());
        services.AddSingleton<ReminderJob>();
        if (BackgroundJobs.Enabled(configuration))
        {
            services.AddHostedService(provider => provider.GetRequiredService<ReminderJob>());
        }
        services.AddScoped<Hagenow.CdoForum.Web.Events.IEventHeadcount, EventHeadcountQuery>();
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o.SignUpsPerMinutePerClient >= 1, "RateLimits:SignUpsPerMinutePerClient muss mindestens 1 sein.")
            .Validate(o => o.MailsPerInboxPerHour >= 1, "RateLimits:MailsPerInboxPerHour muss mindestens 1 sein.")
            .ValidateOnStart();
        services.AddPostLimitPerClient(FormPostPolicy, provider => provider.GetRequiredService<IOptions<RateLimitOptions>>().Value.SignUpsPerMinutePerClient);
        return services;
    }
}
