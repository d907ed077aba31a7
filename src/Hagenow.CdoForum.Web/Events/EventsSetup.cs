namespace Hagenow.CdoForum.Web.Events;

public static class EventsSetup
{
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddScoped<EventImporter>();
        services.AddScoped<EventEditor>();
        services.AddSingleton<EventVersions>();
        services.AddSingleton<RecentPublicEvents>();
        services.AddOutputCache(o => o.AddPolicy(EventPageCachePolicy.Name, new EventPageCachePolicy()));
        return services;
    }

    public static async Task SeedEventsAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EventImporter>().SeedAsync();
    }
}
