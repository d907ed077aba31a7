using Hagenow.CdoForum.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// One SQLite file migrated once per test run by the site's own start-up step (<see cref="DataSetup.MigrateDatabaseAsync"/>:
/// migrations, WAL, the one-time clean-up), copied into each new test site's folder. The site still runs that step at its
/// start and finds nothing left to do; it seeds its events itself. Only a speed-up for the tests: production and the tests
/// of the migration step (a site on a fresh folder of its own) are untouched by it.
/// </summary>
public static class TemplateDatabase
{
    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Copies the migrated template to <paramref name="databasePath"/> (which must not exist yet).</summary>
    public static void CopyTo(string databasePath) => File.Copy(Template.Value, databasePath);

    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-template-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }
        };
        var path = Path.Combine(folder, "cdoforum.db");
        var connectionString = $"Data Source={path}";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CdoForum"] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddData(configuration, new Environment(folder));
        using (var provider = services.BuildServiceProvider())
        {
            // Off the test's synchronization context: this runs inside a constructor.
            Task.Run(() => provider.MigrateDatabaseAsync(then: _ => Task.CompletedTask)).GetAwaiter().GetResult();
        }

        // Closing the last connection checkpoints the WAL into the file and removes it: the file alone is the database.
        using (var connection = new SqliteConnection(DataSetup.ResolveSqliteConnectionString(configuration, folder)))
        {
            SqliteConnection.ClearPool(connection);
        }

        if (File.Exists(path + "-wal"))
        {
            throw new InvalidOperationException($"The template database {path} still has a WAL file after closing its connections.");
        }

        return path;
    }

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Hagenow.CdoForum.Tests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
