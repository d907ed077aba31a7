using System.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// PostgreSQL, for several instances of the site on one database; migrations in Data/PostgreSqlMigrations.
/// Holds the data-protection keys as well, so every instance reads the antiforgery tokens and staff cookies of the others.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options, WriteTurn writeTurn)
    : CdoForumDbContext(options, writeTurn), IDataProtectionKeyContext
{
    /// <summary>The advisory lock every writer of every instance takes: "CDOFORUM" as a number.</summary>
    public const long WriteLockKey = 0x43444F464F52554D;

    /// <summary>The advisory lock an instance holds while it migrates and seeds the database at start.</summary>
    public const long StartupLockKey = WriteLockKey + 1;

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// READ COMMITTED plus one transaction-scoped advisory lock: the same single writer at a time that SQLite's BEGIN
    /// IMMEDIATE gives, now across instances. Each statement after the lock sees every commit before it, so a writer's
    /// reads (free places, an address already registered, a reminder already queued) stay true until it commits.
    /// Released by PostgreSQL at commit or rollback, also when an instance dies mid-transaction.
    /// </summary>
    protected override async Task<WriteLock> BeginLockedTransactionAsync(CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
            return new WriteLock(transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Lists of people sort by German rules, ignoring case, as GermanCollation does on SQLite (ICU's de-DE).
        builder.HasCollation(GermanCollation.Name, locale: "de-DE-u-ks-level2", provider: "icu", deterministic: false);
    }

    /// <summary>
    /// Every DateTime of the model is stored as it is, without a time zone, as on SQLite: the *Utc columns hold UTC,
    /// a registration deadline Berlin local time. (Npgsql's default, timestamptz, would refuse the latter.)
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveColumnType("timestamp without time zone").HaveConversion<UnspecifiedKind>();
        configurationBuilder.Properties<DateTime?>().HaveColumnType("timestamp without time zone").HaveConversion<UnspecifiedKind>();
    }

    private sealed class UnspecifiedKind() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        value => DateTime.SpecifyKind(value, DateTimeKind.Unspecified),
        value => DateTime.SpecifyKind(value, DateTimeKind.Unspecified));
}
