using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>The embedded default: one SQLite file (WAL, synchronous=FULL), migrations in Data/Migrations.</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options, WriteTurn writeTurn) : CdoForumDbContext(options, writeTurn)
{
    /// <summary>
    /// BEGIN IMMEDIATE takes SQLite's one write lock before anything is read; EF Core's own BeginTransaction on SQLite
    /// takes it only at the first write (measured: WritePathTests), when a count read before may already be stale.
    /// </summary>
    protected override async Task<WriteLock> BeginLockedTransactionAsync(CancellationToken cancellationToken)
    {
        var transaction = ((SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: false);
        try
        {
            // EF Core joins it, so SaveChanges and the transaction interceptors (the outbox wake-up) see it.
            var joined = await Database.UseTransactionAsync(transaction, cancellationToken)
                ?? throw new InvalidOperationException("EF Core did not join the write transaction.");
            return new WriteLock(joined, transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}
