using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;
using RustDesk.Core.EmailVerification;

namespace RustDesk.Core.Data.Configurations;

public sealed class EmailChangeRequestConfiguration : IEntityTypeConfiguration<EmailChangeRequest>
{
    public void Configure(EntityTypeBuilder<EmailChangeRequest> entity)
    {
        entity.ToTable("EmailChangeRequests");
        entity.HasKey(e => e.UserId);
        entity.Property(e => e.UserId).HasMaxLength(450);
        entity.Property(e => e.NewEmail).HasMaxLength(ConsoleUser.MaxEmailLength);
        entity.Property(e => e.CodeHash).HasMaxLength(128);
        entity.HasOne<ConsoleUser>().WithOne().HasForeignKey<EmailChangeRequest>(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
