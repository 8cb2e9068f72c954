using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.RateLimiting;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Identity (users, roles, hashing, lockout) and the console's account services.</summary>
    public static IdentityBuilder AddConsoleAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxFailuresPerHour <= 100,
                $"'{AccountOptions.Section}:LockoutFailures' and '{AccountOptions.Section}:LockoutMinutes' allow more than 100 failed sign-ins per account per hour.")
            .Validate(o => o.MaxLockoutMinutes >= o.LockoutMinutes,
                $"'{AccountOptions.Section}:MaxLockoutMinutes' must not be less than '{AccountOptions.Section}:LockoutMinutes'.")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddOptions<ConsoleSessionOptions>().BindConfiguration(ConsoleSessionOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AbsoluteCoversSliding,
                $"'{ConsoleSessionOptions.Section}:AbsoluteDays' is shorter than '{ConsoleSessionOptions.Section}:PersistentDays' or '{ConsoleSessionOptions.Section}:BrowserSessionHours'.")
            .ValidateOnStart();

        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AccountOptions>>((hash, accounts) =>
        {
            hash.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            hash.IterationCount = accounts.Value.PasswordHashIterations;
        });
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = accounts.Value.LockoutFailures;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.Value.LockoutMinutes);
        });

        var identity = services.AddIdentityCore<ConsoleUser>(o =>
            {
                o.User.RequireUniqueEmail = false; // optional email; uniqueness is checked by AccountSettingsService and a unique index
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.SignIn.RequireConfirmedAccount = false;
                o.Stores.MaxLengthForKeys = 128;
            })
            .AddRoles<ConsoleRole>()
            .AddEntityFrameworkStores<ConsoleDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<NistPasswordValidator>();
        services.Replace(ServiceDescriptor.Scoped<ILookupNormalizer, UserNameNormalizer>());
        services.AddPasswordHashGate<ConsoleUser>();

        services.TryAddScoped<PasswordSignInService>();
        services.TryAddScoped<Authentication.Lockout.SignInBudget>();
        services.TryAddScoped<Authentication.Lockout.LockoutGuard>();
        services.TryAddScoped<Authentication.Lockout.TrustedDeviceService>();
        services.TryAddScoped<AccountSettingsService>();
        services.TryAddScoped<PasswordStrengthService>();
        services.TryAddScoped<PasswordChangeRequirement>();
        services.TryAddScoped<SessionService>();
        services.TryAddScoped<SessionGuard>();
        services.TryAddScoped<DeviceService>();
        services.TryAddScoped<Audit.AuditLog>();
        services.TryAddScoped<Recovery.RecoveryService>();
        services.TryAddScoped<Administration.UserAdministrationService>();
        services.TryAddScoped<Administration.InvitationService>();
        services.AddOptions<Administration.PublicUrlOptions>().BindConfiguration(Administration.PublicUrlOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || o.BaseUri is not null,
                "Console:PublicBaseUrl must be an absolute http or https URL without user name, query or fragment, e.g. https://console.example.com.")
            .ValidateOnStart();
        services.AddOptions<Alarms.AlarmOptions>().BindConfiguration(Alarms.AlarmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<Alarms.AlarmService>();
        services.TryAddScoped<Administration.UserDirectory>();
        services.TryAddSingleton<SessionTicketStore>();
        services.TryAddSingleton<SessionCookieEvents>();
        return identity;
    }
}
