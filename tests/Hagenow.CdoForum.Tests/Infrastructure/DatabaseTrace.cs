using System.Text;
using Microsoft.Data.Sqlite;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Looks for a text everywhere in the site's database: every row of every table, and the raw bytes of the files.</summary>
public static class DatabaseTrace
{
    public static async Task<List<string>> FindAsync(SiteFactory site, string needle)
    {
        var found = new List<string>();
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var connection = new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(cancellationToken);
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
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
