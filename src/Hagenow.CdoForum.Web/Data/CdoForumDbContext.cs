using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
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
    /// audit entry, a batch of sent mails) is saved inside one of these. Microsoft.Data.Sqlite begins EF's transactions
    /// with BEGIN IMMEDIATE, so the write lock is taken before anything is read.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await writeTurn.WaitAsync(cancellationToken);
        try
        {
            return new WriteTransaction(await Database.BeginTransactionAsync(cancellationToken), writeTurn);
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
