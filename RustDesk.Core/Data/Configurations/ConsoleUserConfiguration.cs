using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Accounts;

namespace RustDesk.Core.Data.Configurations;

public sealed class ConsoleUserConfiguration : IEntityTypeConfiguration<ConsoleUser>
{
    public void Configure(EntityTypeBuilder<ConsoleUser> user)
    {
        user.Property(u => u.DisplayName).HasMaxLength(ConsoleUser.MaxDisplayNameLength);
        user.Property(u => u.Note).HasMaxLength(ConsoleUser.MaxNoteLength);
        user.Property(u => u.Status).HasConversion<int>();
        user.Property(u => u.PreferredCulture).HasMaxLength(10);
        user.Property(u => u.Email).HasMaxLength(ConsoleUser.MaxEmailLength);
        user.Property(u => u.NormalizedEmail).HasMaxLength(ConsoleUser.MaxEmailLength);
        // Emails are unique among users (the Basic tab refuses a taken address; this is the backstop).
        user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("UX_Users_NormalizedEmail")
            .HasFilter("[NormalizedEmail] IS NOT NULL");
    }
}
