using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;

namespace RustDesk.Core.Data.Configurations;

public sealed class TrustedDeviceConfiguration : IEntityTypeConfiguration<TrustedDevice>
{
    public void Configure(EntityTypeBuilder<TrustedDevice> entity)
    {
        entity.ToTable("TrustedDevices");
        entity.HasKey(d => new { d.UserId, d.DeviceHash });
        entity.Property(d => d.UserId).HasMaxLength(450);
        entity.Property(d => d.DeviceHash).HasMaxLength(64);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
