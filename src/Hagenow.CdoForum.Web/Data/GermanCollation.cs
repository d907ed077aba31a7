using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// SQLite compares text byte by byte, which puts "Ömer" after "Zander". Lists of people sort with this collation
/// instead (German rules, case-insensitive), still inside the database so paging stays a query.
/// Every connection of the site has it (<see cref="DataSetup"/>).
/// </summary>
public static class GermanCollation
{
    public const string Name = "GERMAN";

    private static readonly CompareInfo German = CultureInfo.GetCultureInfo("de-DE").CompareInfo;

    internal static void Register(SqliteConnection connection) =>
        connection.CreateCollation(Name, (a, b) => German.Compare(a, b, CompareOptions.IgnoreCase));

    public static int Compare(string? a, string? b) => German.Compare(a, b, CompareOptions.IgnoreCase);
}
