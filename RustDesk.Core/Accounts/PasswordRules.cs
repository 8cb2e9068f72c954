using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace RustDesk.Core.Accounts;

/// <summary>
/// NIST SP 800-63B §5.1.1.2: at least 8 and at most 128 characters, counted as Unicode text elements, no
/// composition rules, and no password that is commonly used, expected or built from context words
/// (<see cref="PasswordStrength"/>). Control characters are refused because they cannot be typed back reliably.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    /// <summary>
    /// The longest user name or password that a sign-in step or a password proof reads at all; longer input is refused
    /// before any look-up or hashing.
    /// </summary>
    public const int MaxInputLength = 512;

    /// <summary>
    /// The whole rule for a new password of <paramref name="user"/>: length, characters, and guessability with the
    /// user's name, address and display name as context.
    /// </summary>
    public static PasswordProblem? Check(string? password, ConsoleUser user) => Check(password, PasswordStrength.InputsOf(user));

    /// <summary>The whole rule for a new password, with <paramref name="userInputs"/> as context (user name, email, display name).</summary>
    public static PasswordProblem? Check(string? password, IEnumerable<string?> userInputs) => Evaluate(password, userInputs).Problem;

    /// <summary>The rule and the estimator's score together, for a strength meter.</summary>
    public static PasswordVerdict Evaluate(string? password, IEnumerable<string?> userInputs)
    {
        if (Check(password) is { } problem)
        {
            return new PasswordVerdict(0, problem);
        }
        var score = PasswordStrength.Score(password!, userInputs);
        return new PasswordVerdict(score, score < PasswordStrength.MinimumScore ? PasswordProblem.TooWeak : null);
    }

    /// <summary>
    /// Length and characters only (cheap, no estimator): the first check of an input. Every new password must also
    /// pass <see cref="Check(string?, ConsoleUser)"/>, which Identity's validator enforces as the backstop.
    /// </summary>
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
    /// <summary>Common, a pattern, or built from the user's or the product's name (zxcvbn score below 3).</summary>
    TooWeak,
}

/// <summary>
/// Plugs <see cref="PasswordRules"/> into Identity, so that every password Identity sets (creating a user, changing,
/// resetting) passes the whole rule, whichever service asked. A password the calling service has just rated for this
/// user (<see cref="PasswordRating"/>) is not rated again.
/// </summary>
public sealed class NistPasswordValidator(PasswordRating rating) : IPasswordValidator<ConsoleUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ConsoleUser> manager, ConsoleUser user, string? password)
    {
        var problem = rating.Check(password, user);
        return Task.FromResult(problem is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "Password" + problem, Description = problem.ToString()! }));
    }
}
