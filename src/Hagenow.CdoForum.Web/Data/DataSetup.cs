using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hagenow.CdoForum.Web.Data;

public static class DataSetup
{
    public const string DefaultConnectionString = "Data Source=data/cdoforum.db";

    public const int BusyTimeoutMilliseconds = 10000;

    /// <summary>PRAGMA user_version once the one-time VACUUM has rewritten a database made before secure_delete.</summary>
    public const int CleanedUserVersion = 1;

    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = ResolveConnectionString(configuration, environment.ContentRootPath);
        services.AddSingleton<WriteTurn>();
        services.AddDbContext<CdoForumDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary>Makes a relative SQLite path relative to the content root and creates its folder.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("CdoForum") ?? DefaultConnectionString);
        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.GetFullPath(source, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>Applies pending migrations; called once at start-up before the site serves.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        await db.Database.MigrateAsync();
        // WAL is a property of the file: set once, it stays.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await CleanOnceAsync(db);
    }

    /// <summary>
    /// secure_delete only overwrites what is freed from now on; a database written before it still holds erased rows in
    /// its free pages. One VACUUM rewrites the file without them; user_version remembers that it was done.
    /// </summary>
    private static async Task CleanOnceAsync(CdoForumDbContext db)
    {
        var version = await db.Database.SqlQueryRaw<int>("SELECT user_version AS Value FROM pragma_user_version").SingleAsync();
        if (version >= CleanedUserVersion)
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync("VACUUM;");
        await db.Database.ExecuteSqlRawAsync("PRAGMA user_version=1;"); // CleanedUserVersion
        await SqliteFiles.CheckpointAsync(db, CancellationToken.None);
    }

    /// <summary>
    /// Per-connection settings: durable commits, waiting (not failing) when another process holds the lock, and
    /// secure_delete so that erased personal data is overwritten in the file instead of lingering in free pages.
    /// Every connection also knows the German collation that lists of people sort by.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private static readonly string Pragmas =
            $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            GermanCollation.Register((SqliteConnection)connection);
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            GermanCollation.Register((SqliteConnection)connection);
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
