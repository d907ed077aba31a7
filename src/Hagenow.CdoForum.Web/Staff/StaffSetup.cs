namespace Hagenow.CdoForum.Web.Staff;

public static class StaffSetup
{
    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        _ = configuration;
        _ = environment;
        return services;
    }

    public static WebApplication UseStaff(this WebApplication app) => app;
}
