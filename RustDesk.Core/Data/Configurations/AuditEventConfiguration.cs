using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Audit;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Data.Configurations;

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> entity)
    {
        entity.ToTable("AuditEvents");
        entity.HasKey(e => e.Id);
        entity.Property(e => e.Kind).HasMaxLength(64);
        entity.Property(e => e.ActorUserId).HasMaxLength(450);
        entity.Property(e => e.ActorName).HasMaxLength(256);
        entity.Property(e => e.TargetUserId).HasMaxLength(450);
        entity.Property(e => e.TargetName).HasMaxLength(256);
        entity.Property(e => e.IpAddress).HasMaxLength(UserSession.MaxIpLength);
        entity.Property(e => e.UserAgent).HasMaxLength(UserSession.MaxUserAgentLength);
        entity.Property(e => e.Detail).HasMaxLength(AuditEvent.MaxDetailLength);
        entity.Property(e => e.DetailKey).HasMaxLength(AuditEvent.MaxDetailKeyLength);
        entity.Property(e => e.DetailArgs).HasMaxLength(AuditEvent.MaxDetailLength);
        // Existing rows each stand for one event.
        entity.Property(e => e.Count).HasDefaultValue(1);
        entity.Property(e => e.AggregateKey).HasMaxLength(64);
        entity.HasIndex(e => e.AggregateKey).IsUnique().HasFilter("[AggregateKey] IS NOT NULL");
        // No foreign keys: the log outlives the users it names.
        entity.HasIndex(e => e.At);
        entity.HasIndex(e => e.TargetUserId);
        entity.HasIndex(e => e.ActorUserId);
    }
}
