using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Mail;

namespace RustDesk.Core.Data.Configurations;

public sealed class SmtpSettingsRecordConfiguration : IEntityTypeConfiguration<SmtpSettingsRecord>
{
    public void Configure(EntityTypeBuilder<SmtpSettingsRecord> entity)
    {
        entity.ToTable("SmtpSettings");
        entity.HasKey(s => s.Id);
        entity.Property(s => s.Id).ValueGeneratedNever();
        entity.Property(s => s.Host).HasMaxLength(SmtpSettingsRecord.MaxHostLength);
        entity.Property(s => s.Security).HasConversion<int>();
        entity.Property(s => s.UserName).HasMaxLength(SmtpSettingsRecord.MaxUserNameLength);
        entity.Property(s => s.ProtectedPassword).HasMaxLength(4000);
        entity.Property(s => s.From).HasMaxLength(SmtpSettingsRecord.MaxFromLength);
        entity.Property(s => s.UpdatedBy).HasMaxLength(450);
    }
}
