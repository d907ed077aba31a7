using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hagenow.CdoForum.Web.Mail;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> m)
    {
        m.ToTable("OutboxMessages");
        m.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        m.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        m.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
        m.Property(x => x.RecipientKey).HasMaxLength(300);
        m.Property(x => x.MessageId).HasMaxLength(300);
        m.HasIndex(x => new { x.RecipientKey, x.CreatedAtUtc });
        m.Property(x => x.LeaseOwner).HasMaxLength(100);
    }
}

public static class MailData
{
    extension(CdoForumDbContext db)
    {
        public DbSet<OutboxMessage> OutboxMessages => db.Set<OutboxMessage>();
    }
}
