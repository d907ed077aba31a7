using System.Globalization;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// The site's clock. In Development, <c>Clock:Now</c> starts it at a chosen instant; it then runs on in real time,
/// so timers and retries still advance. Everywhere else it is the system clock.
/// </summary>
public sealed class SiteClock(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public static IServiceCollection AddSiteClock(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Clock:Now"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            services.AddSingleton(TimeProvider.System);
            return services;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Clock:Now ist nur in der Entwicklungsumgebung (ASPNETCORE_ENVIRONMENT=Development) erlaubt.");
        }

        if (!TryParse(configured, out var start))
        {
            throw new InvalidOperationException($"Clock:Now „{configured}“ ist kein Zeitpunkt nach ISO 8601 (z. B. 2026-03-01T10:00 oder 2026-03-01T10:00:00+01:00).");
        }

        services.AddSingleton<TimeProvider>(new SiteClock(start - TimeProvider.System.GetUtcNow()));
        return services;
    }

    /// <summary>ISO 8601; without an offset the time is read as Berlin local time, like every time on this site.</summary>
    public static bool TryParse(string value, out DateTimeOffset instant)
    {
        instant = default;
        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        instant = parsed.Kind switch
        {
            DateTimeKind.Unspecified => BerlinTime.FromLocal(parsed),
            DateTimeKind.Utc => new DateTimeOffset(parsed),
            _ => new DateTimeOffset(parsed.ToUniversalTime()),
        };
        return true;
    }
}
