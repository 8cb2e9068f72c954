using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
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
        // Lockout counters change only through the conditional updates of Authentication/Lockout/SignInBudget. Identity
        // saves a whole user row (UpdateAsync after a password or security-stamp change) from an entity loaded earlier;
        // without this, such a save would write stale counters back and could lift a lockout set in between.
        foreach (var counter in new[] { nameof(ConsoleUser.AccessFailedCount), nameof(ConsoleUser.ConsecutiveFailures),
                     nameof(ConsoleUser.LockoutCount), nameof(ConsoleUser.LockedOutUntil), nameof(ConsoleUser.LockoutEnd) })
        {
            user.Property(counter).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        }
        // Emails are unique among users (the Basic tab refuses a taken address; this is the backstop).
        user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("UX_Users_NormalizedEmail")
            .HasFilter("[NormalizedEmail] IS NOT NULL");
        // The users grid sorts by creation date (newest first); without this, 100,000 users are sorted per page view
        // (docs/performance.md, scale of data).
        user.HasIndex(u => u.CreatedAt).HasDatabaseName("IX_Users_CreatedAt");
    }
}
