using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// The site's one database. It knows no feature: each feature folder brings its entities' mapping as an
/// <see cref="IEntityTypeConfiguration{TEntity}"/> and its sets as extension properties (e.g. <c>db.Registrations</c>),
/// so features depend on Data and never the other way round. Staff accounts are Identity's own user type.
/// </summary>
public sealed class CdoForumDbContext(DbContextOptions<CdoForumDbContext> options, WriteTurn writeTurn) : IdentityDbContext(options)
{
    /// <summary>
    /// The one way to write: every change that belongs together (a registration and its mail, a staff action and its
    /// audit entry, a batch of sent mails) is saved inside one of these. It begins with BEGIN IMMEDIATE, so the write
    /// lock is taken before anything is read; EF Core's own BeginTransaction on SQLite takes it only at the first write
    /// (measured: WritePathTests), when a count read before may already be stale.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await writeTurn.WaitAsync(cancellationToken);
        try
        {
            await Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var transaction = ((SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: false);
                // EF Core joins it, so SaveChanges and the transaction interceptors (the outbox wake-up) see it.
                var joined = await Database.UseTransactionAsync(transaction, cancellationToken)
                    ?? throw new InvalidOperationException("EF Core did not join the write transaction.");
                return new WriteTransaction(this, joined, transaction, writeTurn);
            }
            catch
            {
                await Database.CloseConnectionAsync();
                throw;
            }
        }
        catch
        {
            writeTurn.Release();
            throw;
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CdoForumDbContext).Assembly);
    }
}
