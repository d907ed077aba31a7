using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Data;

public sealed class CdoForumDbContext(DbContextOptions<CdoForumDbContext> options) : IdentityDbContext<StaffUser>(options)
{
    public DbSet<Event> Events => Set<Event>();

    public DbSet<Registration> Registrations => Set<Registration>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Event>(e =>
        {
            e.HasIndex(x => x.Slug).IsUnique();
            e.Property(x => x.Slug).HasMaxLength(80);
            e.Property(x => x.Format).HasConversion<string>().HasMaxLength(20);
            e.OwnsMany(x => x.Agenda, a =>
            {
                a.ToJson();
                a.Property(x => x.Kind).HasConversion<string>();
                a.OwnsMany(x => x.Speakers);
            });
            e.OwnsOne(x => x.Organiser, o => o.ToJson());
        });

        builder.Entity<Registration>(r =>
        {
            r.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            r.HasIndex(x => x.TokenHash).IsUnique();
            // One active registration per event and address; cancelled ones may repeat.
            r.HasIndex(x => new { x.EventId, x.EmailNormalized })
                .IsUnique()
                .HasFilter("\"Status\" <> 'Cancelled'");
            r.HasIndex(x => new { x.EventId, x.Status, x.RegisteredAtUtc });
            r.Ignore(x => x.FullName);
        });

        builder.Entity<OutboxMessage>(m =>
        {
            m.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            m.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            m.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
            m.HasOne(x => x.Registration).WithMany().HasForeignKey(x => x.RegistrationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.HasIndex(x => x.AtUtc);
        });
    }
}
