using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// The site's one database. It knows no feature: each feature folder brings its entities' mapping as an
/// <see cref="IEntityTypeConfiguration{TEntity}"/> and its sets as extension properties (e.g. <c>db.Registrations</c>),
/// so features depend on Data and never the other way round. Staff accounts are Identity's own user type.
/// Two engines stand behind it (<see cref="SqliteDbContext"/>, <see cref="PostgreSqlDbContext"/>): each has its own
/// migrations and its own way of taking the write lock; everything else is the same code.
/// </summary>
public abstract class CdoForumDbContext(DbContextOptions options, WriteTurn writeTurn) : IdentityDbContext(options)
{
    /// <summary>
    /// The one way to write: every change that belongs together (a registration and its mail, a staff action and its
    /// audit entry, a batch of sent mails) is saved inside one of these. The database's write lock is taken before
    /// anything is read, so what a writer reads (a count of places, "already reminded") cannot change before its commit,
    /// whichever process or instance writes next.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await writeTurn.WaitAsync(cancellationToken);
        try
        {
            await Database.OpenConnectionAsync(cancellationToken);
            try
            {
                return new WriteTransaction(this, await BeginLockedTransactionAsync(cancellationToken), writeTurn);
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

    /// <summary>A transaction EF Core uses for SaveChanges, holding the database's write lock from its first statement.</summary>
    protected abstract Task<WriteLock> BeginLockedTransactionAsync(CancellationToken cancellationToken);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CdoForumDbContext).Assembly);
    }
}
