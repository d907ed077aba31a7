namespace Hagenow.CdoForum.Web.Calendar;

public static class CalendarSetup
{
    public static IServiceCollection AddCalendar(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder endpoints) => endpoints;
}
