using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// For `dotnet ef migrations add … --context PostgreSqlDbContext -o Data/PostgreSqlMigrations`: the tools need the
/// model, not a server, so the connection string is never opened.
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlDbContext>().UseNpgsql("Host=localhost;Database=cdoforum").Options, new WriteTurn());
}
