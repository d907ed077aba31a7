using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// The write turn of this process (a DI singleton). Writers wait here, asynchronously, before they ask the database for
/// its write lock: without it, concurrent writers meet in SQLite's busy handler, which blocks a thread-pool thread and
/// sleeps in steps of up to 100 ms (the benchmark measured 40 sign-ups/s with p50 ≈ 300 ms at 16 users), or each hold a
/// PostgreSQL connection while they queue for the lock. The database's own lock still orders other processes.
/// </summary>
public sealed class WriteTurn : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal Task WaitAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    internal void Release() => _gate.Release();

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// The transaction EF Core uses, plus the engine's own transaction when EF Core only joined it (SQLite's BEGIN
/// IMMEDIATE), which the write path then ends itself.
/// </summary>
public sealed record WriteLock(IDbContextTransaction Transaction, DbTransaction? Joined = null);

/// <summary>
/// One write: the process's write turn plus a transaction that holds the database's write lock from its first
/// statement, so what is read inside it cannot be changed by another writer before the commit. The write path owns
/// the transaction: disposing without <see cref="CommitAsync"/> rolls it back, releases the lock and gives the turn
/// back, on every path out of the caller.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly CdoForumDbContext _db;
    private readonly WriteLock _lock;
    private readonly WriteTurn _turn;
    private int _disposed;

    internal WriteTransaction(CdoForumDbContext db, WriteLock writeLock, WriteTurn turn)
    {
        _db = db;
        _lock = writeLock;
        _turn = turn;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => _lock.Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _lock.Transaction.DisposeAsync();
            if (_lock.Joined is { } joined)
            {
                // EF Core lets go of a transaction it did not begin without ending it: the write path ends it here.
                await joined.DisposeAsync();
            }

            await _db.Database.CloseConnectionAsync();
        }
        finally
        {
            _turn.Release();
        }
    }
}
