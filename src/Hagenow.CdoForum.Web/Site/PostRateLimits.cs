using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Hagenow.CdoForum.Web.Site;

public static class PostRateLimits
{
    /// <summary>
    /// A rate-limit policy for forms: each client address may POST <paramref name="perMinute"/> times a minute (read
    /// per request, so options validated at start-up apply); GETs are never limited. Behind a configured proxy the
    /// address is the forwarded one (<see cref="HostsAndProxies"/>).
    /// </summary>
    public static IServiceCollection AddPostLimitPerClient(this IServiceCollection services, string policy, Func<IServiceProvider, int> perMinute) =>
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(policy, context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter("not-a-post");
            }

            var limit = perMinute(context.RequestServices);
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }));
}
