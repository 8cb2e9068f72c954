using RustDesk.Core.Recovery;

namespace RustDesk.Web.Hosting;

/// <summary>
/// <c>dotnet run --project RustDesk.Web -- COMMAND [user]</c>: recovery for a locked-out administrator, on the same
/// configuration and database as the console, without starting the web server. The password for
/// <c>set-password</c> is read from standard input (one line), never from the arguments (they end up in shell history).
/// </summary>
public static class RecoveryCommandLine
{
    public static readonly IReadOnlyList<string> Commands = ["reset-2fa", "reset-email-verification", "set-password", "list-users"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public const string Usage = """
        Usage: dotnet run --project RustDesk.Web -- COMMAND [USER]
          reset-2fa USER                 turn TOTP 2FA off for USER (removes key and backup codes, signs USER out)
          reset-email-verification USER turn email login verification off for USER
          set-password USER              set USER's password, read from standard input; lifts a lockout, signs USER out
          list-users                     list users with roles and 2FA state
        """;

    /// <summary>Runs one command; returns the process exit code (0 done, 1 refused, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        var command = args.Length > 0 ? args[0] : "";
        var userName = args.Length > 1 ? args[1] : null;
        await using var scope = services.CreateAsyncScope();
        if (!Commands.Contains(command) || (command != "list-users" && string.IsNullOrWhiteSpace(userName)) || args.Length > 2)
        {
            await scope.ServiceProvider.GetRequiredService<RustDesk.Core.Audit.AuditLog>().AppendAsync(
                RustDesk.Core.Audit.AuditKinds.RecoveryRefused, null, RustDesk.Core.Audit.AuditLog.CommandLineActor,
                detail: RustDesk.Core.Audit.AuditDetails.RecoveryUsage(command));
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var recovery = scope.ServiceProvider.GetRequiredService<RecoveryService>();
        RecoveryResult result;
        switch (command)
        {
            case "list-users":
                await output.WriteLineAsync("user name\temail\troles\t2fa\temail verification\tstatus\tlocked out");
                foreach (var user in await recovery.ListUsersAsync())
                {
                    await output.WriteLineAsync(string.Join('\t', user.UserName, user.Email ?? "", user.Roles,
                        user.TwoFactor ? "on" : "off", user.EmailVerification ? "on" : "off",
                        user.Status.ToString().ToLowerInvariant(), user.LockedOut ? "yes" : "no"));
                }
                return 0;
            case "reset-2fa":
                result = await recovery.ResetTwoFactorAsync(userName);
                break;
            case "reset-email-verification":
                result = await recovery.ResetEmailVerificationAsync(userName);
                break;
            default:
                var password = await input.ReadLineAsync();
                result = await recovery.SetPasswordAsync(userName, password);
                break;
        }
        switch (result.Status)
        {
            case RecoveryStatus.UnknownUser:
                await error.WriteLineAsync($"No user named '{userName}'. Run list-users to see the user names.");
                return 1;
            case RecoveryStatus.PasswordRejected:
                await error.WriteLineAsync(result.Detail == nameof(RustDesk.Core.Accounts.PasswordProblem.TooWeak)
                    ? "The password was not accepted: it is too easy to guess (a common password, a pattern, or built from the user's name or 'rustdesk'). Use a passphrase of several unrelated words."
                    : "The password was not accepted: it needs 8 to 128 characters and no control characters.");
                return 1;
            case RecoveryStatus.NothingToDo:
                await output.WriteLineAsync($"Nothing to change for '{userName}': {command} had nothing to reset.");
                return 0;
            default:
                await output.WriteLineAsync($"Done: {command} for '{userName}'. The user's sessions were ended where needed.");
                return 0;
        }
    }
}
