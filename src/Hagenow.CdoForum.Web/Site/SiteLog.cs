using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hagenow.CdoForum.Web.Site;

internal static partial class SiteLog
{
    [LoggerMessage(LogLevel.Warning, "Health check {Name}: {Status} – {Description}")]
    public static partial void HealthEntry(ILogger logger, string name, HealthStatus status, string? description, Exception? exception);
}
