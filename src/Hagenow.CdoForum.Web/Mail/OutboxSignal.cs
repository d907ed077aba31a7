using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Wakes the outbox when a new row is committed, so a confirmation goes out at once instead of at the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => _channel.Writer.TryWrite(true);

    /// <summary>Returns after a pulse or after <paramref name="timeout"/> on <paramref name="clock"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _) || timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pulse = _channel.Reader.WaitToReadAsync(stop.Token).AsTask();
        var delay = Task.Delay(timeout, clock, stop.Token);
        await Task.WhenAny(pulse, delay);
        await stop.CancelAsync();
        _channel.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Pulses <see cref="OutboxSignal"/> once new outbox rows are visible to other connections: after SaveChanges, or,
/// inside an explicit transaction (the registration service's), after its commit.
/// </summary>
public sealed class OutboxWakeUp(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _waitingForCommit = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PulseIfCommitted(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        PulseIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => PulseAfterCommit(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        PulseAfterCommit(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>For writes that bypass SaveChanges (ExecuteUpdate): pulse now, or after the caller's transaction commits.</summary>
    public void Changed(DbContext context)
    {
        if (context.Database.CurrentTransaction is null)
        {
            signal.Pulse();
        }
        else
        {
            _waitingForCommit.AddOrUpdate(context, true);
        }
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            _waitingForCommit.AddOrUpdate(context, true);
        }
    }

    private void PulseIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            PulseAfterCommit(context);
        }
    }

    private void PulseAfterCommit(DbContext? context)
    {
        if (context is not null && _waitingForCommit.Remove(context))
        {
            signal.Pulse();
        }
    }
}
