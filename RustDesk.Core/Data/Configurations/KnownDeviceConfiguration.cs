using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Notifications;

namespace RustDesk.Core.Data.Configurations;

public sealed class KnownDeviceConfiguration : IEntityTypeConfiguration<KnownDevice>
{
    public void Configure(EntityTypeBuilder<KnownDevice> entity)
    {
        entity.ToTable("KnownDevices");
        entity.HasKey(d => new { d.UserId, d.DeviceHash });
        entity.Property(d => d.UserId).HasMaxLength(450);
        entity.Property(d => d.DeviceHash).HasMaxLength(64);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
