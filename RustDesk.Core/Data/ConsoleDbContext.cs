using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Mail;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.Data;

/// <summary>
/// The console's database. Each provider has a subclass (<see cref="SqliteConsoleDbContext"/>,
/// <see cref="SqlServerConsoleDbContext"/>) so that each keeps its own migrations; services depend on this type.
/// </summary>
public abstract class ConsoleDbContext(DbContextOptions options)
    : IdentityDbContext<ConsoleUser, ConsoleRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<TotpAuthenticator> TotpAuthenticators => Set<TotpAuthenticator>();

    public DbSet<TotpEnrollment> TotpEnrollments => Set<TotpEnrollment>();

    public DbSet<BackupCode> BackupCodes => Set<BackupCode>();

    public DbSet<PendingSignIn> PendingSignIns => Set<PendingSignIn>();

    public DbSet<Authentication.Lockout.TrustedDevice> TrustedDevices => Set<Authentication.Lockout.TrustedDevice>();

    public DbSet<EmailChangeRequest> EmailChangeRequests => Set<EmailChangeRequest>();

    public DbSet<Notifications.KnownDevice> KnownDevices => Set<Notifications.KnownDevice>();

    public DbSet<Audit.AuditEvent> AuditEvents => Set<Audit.AuditEvent>();

    public DbSet<Administration.Invitation> Invitations => Set<Administration.Invitation>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<SmtpSettingsRecord> SmtpSettings => Set<SmtpSettingsRecord>();

    public DbSet<Security.ServerSecret> ServerSecrets => Set<Security.ServerSecret>();

    public DbSet<Passkeys.PasskeyCredential> PasskeyCredentials => Set<Passkeys.PasskeyCredential>();

    public DbSet<Passkeys.PasskeyChallenge> PasskeyChallenges => Set<Passkeys.PasskeyChallenge>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ConsoleDbContext).Assembly);
    }
}

public sealed class SqliteConsoleDbContext(DbContextOptions<SqliteConsoleDbContext> options) : ConsoleDbContext(options);

public sealed class SqlServerConsoleDbContext(DbContextOptions<SqlServerConsoleDbContext> options) : ConsoleDbContext(options);
