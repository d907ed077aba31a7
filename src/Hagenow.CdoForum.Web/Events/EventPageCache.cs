using System.Collections.Concurrent;
using Hagenow.CdoForum.Web.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// Output cache of the public event page, per event version. Measured (tests/Hagenow.CdoForum.Benchmarks): building
/// the page costs an EF Core query with JSON columns plus the Razor render on every request, so under the mailing rush
/// the page ran far below a static file. A cached copy is keyed by slug, the event's version (Sequence and
/// UpdatedAtUtc, and for an event with a capacity the confirmed and waiting counts the page shows; read with one small
/// raw query per request, so `events import` from another process and every sign-up show at once) and the phase
/// (open / closed / ended by the site's clock), so a page never outlives the data it shows.
/// Only anonymous GET/HEAD with 200 and no Set-Cookie is stored.
/// </summary>
public sealed class EventPageCachePolicy : IOutputCachePolicy
{
    public const string Name = "EventPage";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            || http.Request.Headers.Authorization.Count > 0
            || http.GetRouteValue("slug") is not string slug)
        {
            return;
        }

        var key = await http.RequestServices.GetRequiredService<EventVersions>().CurrentKeyAsync(slug, cancellation);
        if (key is null)
        {
            return; // unknown slug: the page answers 404, nothing to cache
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.CacheVaryByRules.RouteValueNames = "slug";
        context.CacheVaryByRules.VaryByValues["event-version"] = key;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The cache key of an event's page right now: version and phase. Singleton.</summary>
public sealed class EventVersions(IServiceScopeFactory scopes, DatabaseSettings database, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Slug, string Version), Schedule> _schedules = new();

    /// <summary>"version|phase", or null when there is no such event.</summary>
    public async ValueTask<string?> CurrentKeyAsync(string slug, CancellationToken cancellation)
    {
        var version = await ReadVersionAsync(slug, cancellation);
        if (version is null)
        {
            return null;
        }

        if (!_schedules.TryGetValue((slug, version), out var schedule))
        {
            schedule = await LoadScheduleAsync(slug, cancellation);
            if (_schedules.Count > 1000)
            {
                _schedules.Clear();
            }

            _schedules[(slug, version)] = schedule;
        }

        var now = clock.GetUtcNow();
        var phase = now >= schedule.EndsAt ? "ended" : now >= schedule.RegistrationClosesAt ? "closed" : "open";
        return $"{version}|{phase}";
    }

    private async Task<string?> ReadVersionAsync(string slug, CancellationToken cancellation)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = connection.CreateCommand();
        // With a capacity the page shows free places and the waiting list: their counts are part of the version.
        // The same query for both engines but for how each spells a boolean.
        command.CommandText = $"""
            SELECT CAST(e."Sequence" AS TEXT) || '@' || CAST(e."UpdatedAtUtc" AS TEXT) || CASE WHEN e."Capacity" IS NULL THEN '' ELSE
                '#' || CAST((SELECT COUNT(*) FROM "Registrations" r WHERE r."EventId" = e."Id" AND r."Status" = 'Confirmed') AS TEXT) ||
                '/' || CAST((SELECT COUNT(*) FROM "Registrations" r WHERE r."EventId" = e."Id" AND r."Status" = 'Waiting') AS TEXT) END
            FROM "Events" e WHERE e."Slug" = @slug AND e."Published" = {(database.IsPostgreSql ? "TRUE" : "1")}
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "slug";
        parameter.Value = slug;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(cancellation) as string;
    }

    private async Task<Schedule> LoadScheduleAsync(string slug, CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var e = await db.Events.AsNoTracking().SingleAsync(x => x.Slug == slug, cancellation);
        return new Schedule(e.RegistrationClosesAt(), e.EndsAt());
    }

    private sealed record Schedule(DateTimeOffset RegistrationClosesAt, DateTimeOffset EndsAt);
}
