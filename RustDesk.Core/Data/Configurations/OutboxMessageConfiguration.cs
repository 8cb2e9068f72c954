using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Mail;

namespace RustDesk.Core.Data.Configurations;

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> entity)
    {
        entity.ToTable("OutboxMessages");
        entity.HasKey(m => m.Id);
        entity.Property(m => m.Id).ValueGeneratedOnAdd();
        entity.Property(m => m.To).HasMaxLength(OutboxMessage.MaxToLength);
        entity.Property(m => m.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength);
        entity.Property(m => m.Category).HasMaxLength(OutboxMessage.MaxCategoryLength);
        entity.Property(m => m.Status).HasConversion<int>();
        entity.Property(m => m.ClaimedBy).HasMaxLength(OutboxMessage.MaxClaimedByLength);
        entity.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        // The worker's query: pending messages by due time.
        entity.HasIndex(m => new { m.Status, m.NextAttemptAt });
        entity.HasIndex(m => m.LastAttemptAt);
    }
}
