using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace RustDesk.Core.Accounts;

/// <summary>
/// NIST SP 800-63B §5.1.1.2: at least 8 and at most 128 characters, counted as Unicode text elements, no
/// composition rules. Control characters are refused because they cannot be typed back reliably.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static PasswordProblem? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return PasswordProblem.Empty;
        }
        if (password.Length > MaxLength * 4)
        {
            return PasswordProblem.TooLong;
        }
        if (password.Any(char.IsControl))
        {
            return PasswordProblem.ControlCharacters;
        }
        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinLength)
        {
            return PasswordProblem.TooShort;
        }
        return length > MaxLength ? PasswordProblem.TooLong : null;
    }
}

public enum PasswordProblem
{
    Empty,
    TooShort,
    TooLong,
    ControlCharacters,
}

/// <summary>Plugs <see cref="PasswordRules"/> into Identity so every password change passes through it.</summary>
public sealed class NistPasswordValidator : IPasswordValidator<ConsoleUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ConsoleUser> manager, ConsoleUser user, string? password)
    {
        var problem = PasswordRules.Check(password);
        return Task.FromResult(problem is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "Password" + problem, Description = problem.ToString()! }));
    }
}
