using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Data.Configurations;

public sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> session)
    {
        session.ToTable("Sessions");
        session.HasKey(s => s.Id);
        session.Property(s => s.Id).HasMaxLength(64);
        session.Property(s => s.UserId).HasMaxLength(450);
        session.Property(s => s.Kind).HasConversion<int>();
        session.Property(s => s.SecurityStamp).HasMaxLength(256);
        session.Property(s => s.DeviceHash).HasMaxLength(64);
        session.Property(s => s.IpAddress).HasMaxLength(UserSession.MaxIpLength);
        session.Property(s => s.UserAgent).HasMaxLength(UserSession.MaxUserAgentLength);
        session.Property(s => s.ClientId).HasMaxLength(Authentication.PendingSignIn.MaxClientIdLength);
        session.Property(s => s.DeviceOs).HasMaxLength(UserSession.MaxDeviceFieldLength);
        session.Property(s => s.DeviceType).HasMaxLength(UserSession.MaxDeviceFieldLength);
        session.Property(s => s.DeviceName).HasMaxLength(UserSession.MaxDeviceFieldLength);
        session.HasOne<ConsoleUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasIndex(s => s.UserId);
        session.HasIndex(s => s.ExpiresAt);
    }
}
