using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hagenow.CdoForum.Web.Data;

internal sealed class DatabaseHealthCheck(CdoForumDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A real read: the file must be there and carry our schema, not merely be openable.
            await db.Users.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy("Datenbank erreichbar");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Datenbank nicht erreichbar", ex);
        }
    }
}
