using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Web.Privacy;

public static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrivacyOptions>(configuration.GetSection("Privacy"));
        services.AddOptions<PrivacyOptions>()
            .Validate(o => o.RetentionDays >= 1, "Privacy:RetentionDays muss mindestens 1 (Tag) sein.")
            .ValidateOnStart();
        services.AddScoped<Retention>();
        services.AddScoped<Erasure>();
        services.AddScoped<PersonalData>();
        if (BackgroundJobs.Enabled(configuration))
        {
            services.AddHostedService<RetentionService>();
        }

        return services;
    }
}
