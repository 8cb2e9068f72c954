using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts;

/// <summary>Start-up (after the migrations): creates the roles, and on an empty database the administrator.</summary>
public sealed class AccountSeed(
    UserManager<ConsoleUser> users,
    RoleManager<ConsoleRole> roles,
    IOptions<BootstrapOptions> bootstrap,
    TimeProvider time,
    // The category operators know from before the seed had its own class.
    ILogger<DatabaseInitializer> logger) : IDatabaseSeed
{
    private const string AdminUserName = DatabaseInitializer.AdminUserName;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new ConsoleRole(role)), "role " + role);
            }
        }
        if (!await users.Users.AnyAsync(cancellationToken))
        {
            await CreateAdministratorAsync();
        }
    }

    private async Task CreateAdministratorAsync()
    {
        var configured = bootstrap.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new ConsoleUser
        {
            UserName = AdminUserName,
            DisplayName = "Administrator",
            CreatedAt = time.GetUtcNow().UtcDateTime,
            // A generated password has been in the log: it is replaced at the first sign-in. A configured one was
            // chosen by the operator and passed the same rules as any new password.
            MustChangePassword = string.IsNullOrEmpty(configured),
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Configuration key '{BootstrapOptions.Section}:AdminPassword' is not an acceptable password: " +
                string.Join(" ", created.Errors.Select(e => Describe(e.Code))) +
                $" Set a passphrase of several unrelated words, or leave '{BootstrapOptions.Section}:AdminPassword' empty to have one generated.");
        }
        Check(await users.AddToRoleAsync(admin, Roles.Administrator), "administrator role");
        if (string.IsNullOrEmpty(configured))
        {
            // The one deliberate secret in the log: an operator needs it to sign in the first time, and it is
            // written only on the start that created the account.
            logger.LogWarning(
                "Created the administrator account '{UserName}' with the generated password {Password} . Sign in and change it now; it will not be shown again.",
                AdminUserName, password);
        }
        else
        {
            logger.LogInformation("Created the administrator account '{UserName}' with the password from configuration.", AdminUserName);
        }
    }

    private static string Describe(string code) => code switch
    {
        "Password" + nameof(PasswordProblem.TooWeak) =>
            "it is too easy to guess (a common password, a keyboard pattern, or built from 'admin', 'rustdesk' or 'console').",
        "Password" + nameof(PasswordProblem.TooShort) => $"it is shorter than {PasswordRules.MinLength} characters.",
        "Password" + nameof(PasswordProblem.TooLong) => $"it is longer than {PasswordRules.MaxLength} characters.",
        "Password" + nameof(PasswordProblem.ControlCharacters) => "it contains control characters.",
        _ => code + ".",
    };

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        }
    }
}
