using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// The site's one database. It knows no feature: each feature folder brings its entities' mapping as an
/// <see cref="IEntityTypeConfiguration{TEntity}"/> and its sets as extension properties (e.g. <c>db.Registrations</c>),
/// so features depend on Data and never the other way round. Staff accounts are Identity's own user type.
/// </summary>
public sealed class CdoForumDbContext(DbContextOptions<CdoForumDbContext> options) : IdentityDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CdoForumDbContext).Assembly);
    }
}
