using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hagenow.CdoForum.Web.Registrations;

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> r)
    {
        r.ToTable("Registrations");
        r.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        r.HasIndex(x => x.TokenHash).IsUnique();
        r.Property(x => x.CertificateCode).HasMaxLength(32);
        r.HasIndex(x => x.CertificateCode).IsUnique();
        // One active registration per event and address; cancelled ones may repeat.
        r.HasIndex(x => new { x.EventId, x.EmailNormalized })
            .IsUnique()
            .HasFilter("\"Status\" <> 'Cancelled'");
        r.HasIndex(x => new { x.EventId, x.Status, x.RegisteredAtUtc });
        r.Ignore(x => x.FullName);
        // The mails to a person go with the person (erasure, retention); Mail itself knows no registration.
        r.HasMany(x => x.Mails).WithOne().HasForeignKey(m => m.RegistrationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class RegistrationsData
{
    extension(CdoForumDbContext db)
    {
        public DbSet<Registration> Registrations => db.Set<Registration>();
    }
}
