namespace Hagenow.CdoForum.Web.Registrations;

public static class RegistrationsSetup
{
    public static IServiceCollection AddRegistrations(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<RegistrationTokens>();
        return services;
    }
}
