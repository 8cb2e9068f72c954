using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Data.Configurations;

public sealed class PendingSignInConfiguration : IEntityTypeConfiguration<PendingSignIn>
{
    public void Configure(EntityTypeBuilder<PendingSignIn> entity)
    {
        entity.ToTable("PendingSignIns");
        entity.HasKey(p => p.Id);
        entity.Property(p => p.Id).HasMaxLength(64);
        entity.Property(p => p.UserId).HasMaxLength(450);
        entity.Property(p => p.Method).HasConversion<int>();
        entity.Property(p => p.EmailCodeHash).HasMaxLength(128);
        entity.Property(p => p.SecurityStamp).HasMaxLength(256);
        entity.Property(p => p.DeviceHash).HasMaxLength(64);
        entity.Property(p => p.IpAddress).HasMaxLength(UserSession.MaxIpLength);
        entity.Property(p => p.UserAgent).HasMaxLength(UserSession.MaxUserAgentLength);
        entity.Property(p => p.Client).HasConversion<int>();
        entity.Property(p => p.ClientId).HasMaxLength(PendingSignIn.MaxClientIdLength);
        entity.Property(p => p.ClientUuid).HasMaxLength(PendingSignIn.MaxClientUuidLength);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(p => p.UserId);
    }
}
