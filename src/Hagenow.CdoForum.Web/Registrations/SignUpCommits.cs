using System.Threading.Channels;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>
/// Group commit for sign-ups (a DI singleton). Requests hand in their prepared sign-up and wait; one loop takes
/// everything that queued up while the previous batch was written, decides the members one after the other inside
/// one write (so capacity and the duplicate check stay exact, each member sees the ones before it), and commits them
/// together: one fsync for the batch instead of one per sign-up. A request learns its outcome only after the commit,
/// so an accepted sign-up (303) is on disk. When a batch fails, its members are written again one by one, so one bad
/// row cannot fail the others.
/// </summary>
public sealed partial class SignUpCommits : IAsyncDisposable
{
    /// <summary>More members make the batch's own transaction long for the requests that arrive meanwhile.</summary>
    public const int MaxBatchSize = 32;

    private readonly Channel<PendingSignUp> _queue = Channel.CreateUnbounded<PendingSignUp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<SignUpCommits> _logger;
    private readonly Task _loop;

    public SignUpCommits(IServiceScopeFactory scopes, ILogger<SignUpCommits> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues the sign-up and returns its outcome once its batch is committed (or rolled back).</summary>
    internal Task<SignUpResult> SubmitAsync(PendingSignUp signUp)
    {
        if (!_queue.Writer.TryWrite(signUp))
        {
            throw new ObjectDisposedException(nameof(SignUpCommits), "The site is stopping; no sign-up is taken any more.");
        }

        return signUp.Outcome.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingSignUp>(MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var signUp))
            {
                if (signUp.Cancellation.IsCancellationRequested)
                {
                    // The request is gone before its turn: nothing was decided or stored for it.
                    signUp.Outcome.TrySetCanceled(signUp.Cancellation);
                }
                else
                {
                    batch.Add(signUp);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
            }
        }
    }

    /// <summary>Writes one batch and completes each member's outcome; never throws.</summary>
    internal async Task CommitBatchAsync(IReadOnlyList<PendingSignUp> batch)
    {
        try
        {
            var decisions = await WriteAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.TrySetResult(decisions[i]);
            }

            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(_logger, batch.Count, ex);
        }
        catch (Exception ex)
        {
            batch[0].Outcome.TrySetException(ex);
            return;
        }

        foreach (var signUp in batch)
        {
            try
            {
                signUp.Outcome.TrySetResult((await WriteAsync([signUp]))[0]);
            }
            catch (Exception ex)
            {
                signUp.Outcome.TrySetException(ex);
            }
        }
    }

    private async Task<IReadOnlyList<SignUpResult>> WriteAsync(IReadOnlyList<PendingSignUp> members)
    {
        foreach (var member in members)
        {
            member.ResetForAttempt();
        }

        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationService>().DecideAndCommitAsync(members);
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} sign-ups failed; writing its members one by one.")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
