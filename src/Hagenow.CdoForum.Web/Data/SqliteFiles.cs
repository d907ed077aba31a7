using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>What reaches the database files, not only the tables.</summary>
public static class SqliteFiles
{
    /// <summary>Copies the committed pages into the database file and empties the write-ahead log, which still holds the old ones.</summary>
    public static Task CheckpointAsync(CdoForumDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
}
