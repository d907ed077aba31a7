namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// Writers of this process take turns here, asynchronously, before they write. Without it, concurrent sign-ups and the
/// mail outbox meet in SQLite's busy handler, which blocks a thread-pool thread and sleeps in steps of up to 100 ms
/// (the benchmark measured 40 sign-ups/s with p50 ≈ 300 ms at 16 users). busy_timeout still covers other processes.
/// </summary>
public static class WriteTurn
{
    public static SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Waits for the turn; disposing the result gives it back.</summary>
    public static async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        return new Turn();
    }

    private sealed class Turn : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Gate.Release();
            }
        }
    }
}
