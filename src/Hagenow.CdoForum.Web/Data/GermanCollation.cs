using System.Globalization;
using Hagenow.CdoForum.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// SQLite compares text byte by byte, which puts "Ömer" after "Zander". Lists of people sort with this collation
/// instead (German rules, case-insensitive), still inside the database so paging stays a query.
/// </summary>
public static class GermanCollation
{
    public const string Name = "GERMAN";

    private static readonly CompareInfo German = CultureInfo.GetCultureInfo("de-DE").CompareInfo;

    /// <summary>Opens the context's connection (EF Core keeps it open until the context is disposed) and registers the collation on it.</summary>
    public static async Task EnsureAsync(CdoForumDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        connection.CreateCollation(Name, (a, b) => German.Compare(a, b, CompareOptions.IgnoreCase));
    }

    public static int Compare(string? a, string? b) => German.Compare(a, b, CompareOptions.IgnoreCase);
}
