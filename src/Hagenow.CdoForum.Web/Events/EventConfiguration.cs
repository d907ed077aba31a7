using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hagenow.CdoForum.Web.Events;

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> e)
    {
        e.ToTable("Events");
        e.HasIndex(x => x.Slug).IsUnique();
        e.Property(x => x.Slug).HasMaxLength(80);
        e.Property(x => x.Format).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.Sequence).IsConcurrencyToken();
        e.Property(x => x.CancellationReason).HasMaxLength(EventFacts.MaxReasonLength);
        e.Ignore(x => x.IsCancelled);
        e.OwnsMany(x => x.Agenda, a =>
        {
            a.ToJson();
            a.Property(x => x.Kind).HasConversion<string>();
            a.OwnsMany(x => x.Speakers);
        });
        e.OwnsOne(x => x.Organiser, o => o.ToJson());
    }
}

public static class EventsData
{
    extension(CdoForumDbContext db)
    {
        public DbSet<Event> Events => db.Set<Event>();
    }
}
