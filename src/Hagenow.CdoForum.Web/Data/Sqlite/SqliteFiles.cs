using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>What reaches the database files, not only the tables.</summary>
public static class SqliteFiles
{
    /// <summary>Attempts of <see cref="CheckpointAsync"/>; each waits up to the connection's busy timeout for readers.</summary>
    public const int CheckpointAttempts = 3;

    /// <summary>
    /// Copies the committed pages into the database file and empties the write-ahead log, which still holds the old
    /// ones. False when a reader (a backup, a shell on the file) kept the log busy through every attempt: then copies of
    /// erased rows may still sit in the log, and the caller must say so.
    /// </summary>
    public static async Task<bool> CheckpointAsync(CdoForumDbContext db, CancellationToken cancellationToken, TimeSpan? waitPerAttempt = null)
    {
        if (db is not SqliteDbContext)
        {
            // PostgreSQL has no log file of ours to empty; its own WAL and VACUUM are the operator's (see the README).
            return true;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (waitPerAttempt is { } wait)
            {
                await ExecuteAsync(connection, $"PRAGMA busy_timeout={(int)wait.TotalMilliseconds};", cancellationToken);
            }

            for (var attempt = 0; attempt < CheckpointAttempts; attempt++)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                // One row: busy (0 = done), pages in the log, pages checkpointed.
                if (await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            if (waitPerAttempt is not null)
            {
                await ExecuteAsync(connection, $"PRAGMA busy_timeout={DataSetup.BusyTimeoutMilliseconds};", cancellationToken);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
