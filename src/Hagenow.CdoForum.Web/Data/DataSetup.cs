using System.Data.Common;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Hagenow.CdoForum.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Which engine and where: <c>Database:Provider</c> and <c>ConnectionStrings:CdoForum</c>. Singleton.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";

    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>One German line when the provider setting is unusable; null when it is fine.</summary>
    public static string? ConfigurationError(IConfiguration configuration) =>
        ParseProvider(configuration[ProviderKey]) switch
        {
            null => $"{ProviderKey} ist „{configuration[ProviderKey]}“; erlaubt sind „Sqlite“ (Voreinstellung) und „PostgreSQL“.",
            DatabaseProvider.PostgreSql when string.IsNullOrWhiteSpace(configuration.GetConnectionString("CdoForum")) =>
                $"{ProviderKey} ist „PostgreSQL“, aber ConnectionStrings:CdoForum fehlt (eine Npgsql-Verbindungszeichenfolge, z. B. „Host=db;Database=cdoforum;Username=cdoforum;Password=…“).",
            _ => null,
        };

    public static DatabaseSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var provider = ParseProvider(configuration[ProviderKey]) ?? throw new InvalidOperationException(ConfigurationError(configuration));
        return provider == DatabaseProvider.PostgreSql
            ? new DatabaseSettings(provider, configuration.GetConnectionString("CdoForum")!)
            : new DatabaseSettings(provider, DataSetup.ResolveSqliteConnectionString(configuration, contentRoot));
    }

    /// <summary>A new, closed connection of the configured engine, for the few raw queries (e.g. the event page's version).</summary>
    public DbConnection CreateConnection() =>
        IsPostgreSql ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    internal static DatabaseProvider? ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProvider.PostgreSql,
        _ => null,
    };
}

public static class DataSetup
{
    public const string DefaultConnectionString = "Data Source=data/cdoforum.db";

    public const int BusyTimeoutMilliseconds = 10000;

    /// <summary>PRAGMA user_version once the one-time VACUUM has rewritten a database made before secure_delete.</summary>
    public const int CleanedUserVersion = 1;

    /// <summary>
    /// Settings the site must not start with, one German line each. With PostgreSQL several instances answer for one
    /// site, so the secret behind the participants' links must be the same in all of them: configured, not a file of one machine.
    /// </summary>
    public static IEnumerable<string> StartupErrors(IConfiguration configuration, IHostEnvironment environment)
    {
        if (DatabaseSettings.ConfigurationError(configuration) is { } error)
        {
            yield return error;
        }
        else if (DatabaseSettings.ParseProvider(configuration[DatabaseSettings.ProviderKey]) == DatabaseProvider.PostgreSql
                 && !environment.IsDevelopment()
                 && string.IsNullOrWhiteSpace(configuration["Registrations:TokenSecret"]))
        {
            yield return "Registrations:TokenSecret fehlt: mit PostgreSQL müssen alle Instanzen denselben geheimen Schlüssel für die Teilnahme-Links haben (mindestens 32 zufällige Zeichen, z. B. aus „openssl rand -base64 48“).";
        }
    }

    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = DatabaseSettings.FromConfiguration(configuration, environment.ContentRootPath);
        services.AddSingleton(settings);
        services.AddSingleton<WriteTurn>();
        if (settings.IsPostgreSql)
        {
            services.AddDbContext<CdoForumDbContext, PostgreSqlDbContext>((provider, options) => Configure(provider, options
                .UseNpgsql(settings.ConnectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"))));
            services.AddScoped(provider => (PostgreSqlDbContext)provider.GetRequiredService<CdoForumDbContext>());
            // Every instance reads and writes the same key ring, so a form from one instance posts to another and
            // staff stay logged in whichever instance answers.
            services.AddDataProtection().PersistKeysToDbContext<PostgreSqlDbContext>();
        }
        else
        {
            services.AddDbContext<CdoForumDbContext, SqliteDbContext>((provider, options) => Configure(provider, options
                .UseSqlite(settings.ConnectionString)
                .AddInterceptors(new SqlitePragmas())));
            // Keys for antiforgery tokens and the staff cookie survive restarts (next to the database by default).
            var keys = Path.GetFullPath(configuration["DataProtection:KeysDirectory"] ?? "data/keys", environment.ContentRootPath);
            services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(PrivateFiles.EnsureFolder(keys)));
        }

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary>What features add with ConfigureDbContext&lt;CdoForumDbContext&gt; (e.g. the outbox wake-up), for either engine.</summary>
    private static void Configure(IServiceProvider provider, DbContextOptionsBuilder options)
    {
        foreach (var configuration in provider.GetServices<IDbContextOptionsConfiguration<CdoForumDbContext>>())
        {
            configuration.Configure(provider, options);
        }
    }

    /// <summary>Makes a relative SQLite path relative to the content root and creates its folder.</summary>
    public static string ResolveSqliteConnectionString(IConfiguration configuration, string contentRoot)
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

    /// <summary>
    /// Applies pending migrations, then <paramref name="then"/> (the seed); called once at start-up before the site
    /// serves. On PostgreSQL both run under an advisory lock, so instances that start together do it one after the other.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, Func<IServiceProvider, Task> then)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (settings.IsPostgreSql)
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgreSqlDbContext.StartupLockKey})");
            try
            {
                await using (var scope = services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<CdoForumDbContext>().Database.MigrateAsync();
                }

                await then(services);
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgreSqlDbContext.StartupLockKey})");
            }

            return;
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
            await db.Database.MigrateAsync();
            // WAL is a property of the file: set once, it stays.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await CleanOnceAsync(db);
        }

        await then(services);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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
