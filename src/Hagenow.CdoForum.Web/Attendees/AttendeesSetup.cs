namespace Hagenow.CdoForum.Web.Attendees;

public static class AttendeesSetup
{
    public static IServiceCollection AddAttendees(this IServiceCollection services)
    {
        services.AddScoped<AttendeeList>();
        services.AddScoped<AttendeeActions>();
        services.AddScoped<AttendeeExport>();
        return services;
    }
}
