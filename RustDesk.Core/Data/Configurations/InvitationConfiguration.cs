using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;

namespace RustDesk.Core.Data.Configurations;

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> entity)
    {
        entity.ToTable("Invitations");
        entity.HasKey(i => i.UserId);
        entity.Property(i => i.UserId).HasMaxLength(450);
        entity.Property(i => i.TokenHash).HasMaxLength(64);
        entity.HasIndex(i => i.TokenHash).IsUnique();
        entity.HasOne<ConsoleUser>().WithOne().HasForeignKey<Invitation>(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
