using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RustDesk.Core.Data;
using RustDesk.Core.RateLimiting;

namespace RustDesk.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Identity (users, roles, hashing behind the gate of <c>RateLimiting</c>, Identity's lockout settings), the start-up
    /// seed of roles and administrator, and the forced first password change. Identity's <c>SignInManager</c> (cookies,
    /// <c>HttpContext</c>) is the web host's: it registers it with its authentication.
    /// </summary>
    public static IdentityBuilder AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxFailuresPerHour <= 100,
                $"'{AccountOptions.Section}:LockoutFailures' and '{AccountOptions.Section}:LockoutMinutes' allow more than 100 failed sign-ins per account per hour.")
            .Validate(o => o.MaxLockoutMinutes >= o.LockoutMinutes,
                $"'{AccountOptions.Section}:MaxLockoutMinutes' must not be less than '{AccountOptions.Section}:LockoutMinutes'.")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);

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
                o.User.RequireUniqueEmail = false; // optional email; uniqueness: Settings/BasicSettingsService with EmailOwnership, and a unique index
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<ConsoleRole>()
            .AddEntityFrameworkStores<ConsoleDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<NistPasswordValidator>();
        services.Replace(ServiceDescriptor.Scoped<ILookupNormalizer, UserNameNormalizer>());
        services.AddGatedPasswordHasher<ConsoleUser>();

        services.TryAddEnumerable(ServiceDescriptor.Scoped<IDatabaseSeed, AccountSeed>());
        services.TryAddScoped<PasswordChangeRequirement>();
        services.TryAddScoped<PasswordRating>();
        return identity;
    }
}
