using Microsoft.Extensions.Logging;
using RustDesk.Core.Security;

namespace RustDesk.Core.Accounts;

/// <summary>
/// Rates a new password once per Core call. A service rates it up front (<see cref="Rate(string?, ConsoleUser)"/>) so
/// that it can answer with the right error before anything costly happens; Identity's validator
/// (<see cref="NistPasswordValidator"/>), the backstop for every password Identity sets, then finds that rating instead
/// of running the strength estimator a second time. The rating is remembered only while the returned
/// <see cref="RatedPassword"/> is not disposed, and it is used only for the same password with the same context words:
/// any other password, or the same password for another user, is rated afresh. Scoped: one Core call, one rating.
/// </summary>
public sealed class PasswordRating(ILogger<PasswordRating> logger)
{
    private Rating? remembered;

    /// <summary>Rates <paramref name="password"/> as a new password of <paramref name="user"/> and remembers the verdict until disposed.</summary>
    public RatedPassword Rate(string? password, ConsoleUser user) => Rate(password, PasswordStrength.InputsOf(user));

    /// <summary>
    /// Rates <paramref name="password"/> with <paramref name="userInputs"/> as context and remembers the verdict until disposed.
    /// Give the inputs as <see cref="PasswordStrength.InputsOf"/> gives them for the user the password is for (user name,
    /// email, display name), or the validator will not recognise the rating and rates again.
    /// </summary>
    public RatedPassword Rate(string? password, IEnumerable<string?> userInputs)
    {
        var rating = new Rating(password, [.. userInputs], null);
        rating = rating with { Problem = Evaluate(password, rating.Inputs) };
        remembered = rating;
        return new RatedPassword(this, rating);
    }

    /// <summary>The validator's question: the remembered verdict for this very password and user, or a fresh rating.</summary>
    internal PasswordProblem? Check(string? password, ConsoleUser user)
    {
        string?[] inputs = [.. PasswordStrength.InputsOf(user)];
        return remembered is { } rating && rating.IsFor(password, inputs) ? rating.Problem : Evaluate(password, inputs);
    }

    internal void Forget(Rating rating)
    {
        if (ReferenceEquals(remembered, rating))
        {
            remembered = null;
        }
    }

    private PasswordProblem? Evaluate(string? password, string?[] inputs)
    {
        var problem = PasswordRules.Check(password, inputs);
        // Never the password: only that a rating ran (how many per call is what the tests look at) and its verdict.
        logger.LogDebug("Rated a new password: {Verdict}", problem?.ToString() ?? "acceptable");
        return problem;
    }

    internal sealed record Rating(string? Password, string?[] Inputs, PasswordProblem? Problem)
    {
        /// <summary>The same password (compared in constant time, as every secret is) and the same context words.</summary>
        public bool IsFor(string? password, string?[] inputs) =>
            SecretText.FixedTimeEquals(Password, password) && Inputs.SequenceEqual(inputs, StringComparer.Ordinal);
    }
}

/// <summary>A password's verdict, remembered for Identity's validator until disposed (<see cref="PasswordRating"/>).</summary>
public readonly struct RatedPassword : IDisposable
{
    private readonly PasswordRating owner;
    private readonly PasswordRating.Rating rating;

    internal RatedPassword(PasswordRating owner, PasswordRating.Rating rating)
    {
        this.owner = owner;
        this.rating = rating;
    }

    /// <summary>Null when the password is acceptable; otherwise what is wrong with it.</summary>
    public PasswordProblem? Problem => rating.Problem;

    public void Dispose() => owner?.Forget(rating);
}
