using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.Data.Configurations;

public sealed class TotpAuthenticatorConfiguration : IEntityTypeConfiguration<TotpAuthenticator>
{
    public void Configure(EntityTypeBuilder<TotpAuthenticator> entity)
    {
        entity.ToTable("TotpAuthenticators");
        entity.HasKey(a => a.UserId);
        entity.Property(a => a.UserId).HasMaxLength(450);
        entity.Property(a => a.ProtectedSecret).HasMaxLength(1024);
        entity.HasOne<ConsoleUser>().WithOne().HasForeignKey<TotpAuthenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TotpEnrollmentConfiguration : IEntityTypeConfiguration<TotpEnrollment>
{
    public void Configure(EntityTypeBuilder<TotpEnrollment> entity)
    {
        entity.ToTable("TotpEnrollments");
        // One pending key per session; no foreign key to the session (a second cascade path from Users is refused by
        // SQL Server): a key left behind by an ended session can never be confirmed and is cleared when it expires.
        entity.HasKey(e => e.SessionId);
        entity.Property(e => e.SessionId).HasMaxLength(64);
        entity.Property(e => e.UserId).HasMaxLength(450);
        entity.Property(e => e.ProtectedSecret).HasMaxLength(1024);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(e => e.UserId);
    }
}

public sealed class BackupCodeConfiguration : IEntityTypeConfiguration<BackupCode>
{
    public void Configure(EntityTypeBuilder<BackupCode> entity)
    {
        entity.ToTable("BackupCodes");
        entity.HasKey(c => c.Id);
        entity.Property(c => c.UserId).HasMaxLength(450);
        entity.Property(c => c.Hash).HasMaxLength(256);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(c => c.UserId);
    }
}
