using System.Text;
using System.Data.Common;
using Hagenow.CdoForum.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// Looks for a text everywhere in the site's database: every row of every table, and on SQLite the raw bytes of the
/// files (on PostgreSQL the server's files are its own; there the rows are what the site controls).
/// </summary>
public static class DatabaseTrace
{
    public static async Task<List<string>> FindAsync(SiteFactory site, string needle)
    {
        var found = new List<string>();
        var cancellationToken = TestContext.Current.CancellationToken;
        var postgres = site.Provider == DatabaseProvider.PostgreSql;
        await using (var connection = postgres
            ? (DbConnection)new NpgsqlConnection(site.Services.GetRequiredService<DatabaseSettings>().ConnectionString)
            : new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(cancellationToken);
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = postgres
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await list.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var text = reader.GetValue(i) switch
                        {
                            byte[] bytes => Encoding.UTF8.GetString(bytes),
                            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                        };
                        if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                        {
                            found.Add($"{table}.{reader.GetName(i)}");
                        }
                    }
                }
            }
        }

        var bytesNeeded = Encoding.UTF8.GetBytes(needle);
        foreach (var file in new[] { site.DatabasePath, site.DatabasePath + "-wal", site.DatabasePath + "-journal" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, cancellationToken);
            if (memory.ToArray().AsSpan().IndexOf(bytesNeeded) >= 0)
            {
                found.Add($"file {Path.GetFileName(file)}");
            }
        }

        return found;
    }
}
