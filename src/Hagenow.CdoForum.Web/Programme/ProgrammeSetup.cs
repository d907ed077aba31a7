namespace Hagenow.CdoForum.Web.Programme;

public static class ProgrammeSetup
{
    public static IServiceCollection AddProgramme(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }

    public static IEndpointRouteBuilder MapProgramme(this IEndpointRouteBuilder endpoints) => endpoints;
}
