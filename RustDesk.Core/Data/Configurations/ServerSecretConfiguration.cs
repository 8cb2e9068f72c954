using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RustDesk.Core.Security;

namespace RustDesk.Core.Data.Configurations;

public sealed class ServerSecretConfiguration : IEntityTypeConfiguration<ServerSecret>
{
    public void Configure(EntityTypeBuilder<ServerSecret> entity)
    {
        entity.ToTable("ServerSecrets");
        entity.HasKey(s => s.Name);
        entity.Property(s => s.Name).HasMaxLength(ServerSecret.MaxNameLength);
        entity.Property(s => s.ProtectedValue).HasMaxLength(1000);
    }
}
