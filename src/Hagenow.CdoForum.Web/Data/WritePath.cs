using Microsoft.EntityFrameworkCore.Storage;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// The write turn of this process (a DI singleton). Writers wait here, asynchronously, before BEGIN IMMEDIATE: without it,
/// concurrent writers meet in SQLite's busy handler, which blocks a thread-pool thread and sleeps in steps of up to 100 ms
/// (the benchmark measured 40 sign-ups/s with p50 ≈ 300 ms at 16 users). busy_timeout still covers other processes.
/// </summary>
public sealed class WriteTurn : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal Task WaitAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    internal void Release() => _gate.Release();

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// One write: the process's write turn plus a transaction that EF Core owns and that holds the database's write lock
/// from its first statement (SQLite: BEGIN IMMEDIATE), so what is read inside it cannot be changed by another writer
/// before the commit. Disposing without <see cref="CommitAsync"/> rolls back and gives the turn back.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private readonly WriteTurn _turn;
    private int _released;

    internal WriteTransaction(IDbContextTransaction transaction, WriteTurn turn)
    {
        _transaction = transaction;
        _turn = turn;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
        }
        finally
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _turn.Release();
            }
        }
    }
}
