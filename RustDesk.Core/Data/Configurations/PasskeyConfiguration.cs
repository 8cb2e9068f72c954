using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Passkeys;

namespace RustDesk.Core.Data.Configurations;

public sealed class PasskeyCredentialConfiguration : IEntityTypeConfiguration<PasskeyCredential>
{
    public void Configure(EntityTypeBuilder<PasskeyCredential> entity)
    {
        entity.ToTable("PasskeyCredentials");
        entity.HasKey(p => p.Id);
        entity.Property(p => p.UserId).HasMaxLength(450);
        entity.Property(p => p.CredentialId).HasMaxLength(PasskeyCredential.MaxCredentialIdLength);
        entity.HasIndex(p => p.CredentialId).IsUnique();
        entity.Property(p => p.PublicKey).HasMaxLength(2048);
        entity.Property(p => p.UserHandle).HasMaxLength(64);
        entity.Property(p => p.Name).HasMaxLength(PasskeyCredential.MaxNameLength);
        entity.Property(p => p.Transports).HasMaxLength(128);
        entity.HasOne<ConsoleUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(p => p.UserId);
    }
}

public sealed class PasskeyChallengeConfiguration : IEntityTypeConfiguration<PasskeyChallenge>
{
    public void Configure(EntityTypeBuilder<PasskeyChallenge> entity)
    {
        entity.ToTable("PasskeyChallenges");
        // No foreign keys: a challenge outlives nothing (minutes), and bindings point at sessions, pending sign-ins or nothing.
        entity.HasKey(c => c.Id);
        entity.Property(c => c.Id).HasMaxLength(64);
        entity.Property(c => c.Binding).HasMaxLength(64);
        entity.Property(c => c.UserId).HasMaxLength(450);
        entity.HasIndex(c => new { c.Ceremony, c.Binding }).IsUnique();
        entity.HasIndex(c => c.ExpiresAt);
    }
}
