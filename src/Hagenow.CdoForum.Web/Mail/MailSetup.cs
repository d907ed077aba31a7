namespace Hagenow.CdoForum.Web.Mail;

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        _ = configuration;
        _ = environment;
        services.AddScoped<ConfirmationMail>();
        return services;
    }
}
