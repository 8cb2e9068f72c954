namespace RustDesk.Core.Accounts;

/// <summary>
/// How guessable a password is, estimated with zxcvbn (Dropbox's estimator, <c>zxcvbn-core</c>): frequency lists of
/// leaked passwords, English words, names and surnames, keyboard patterns, sequences, repeats, dates and l33t
/// spellings, plus context words (the user's name and address, the product's name). NIST SP 800-63B §5.1.1.2 asks
/// verifiers to refuse passwords that are commonly used, expected or compromised, and context-specific words.
/// </summary>
public static class PasswordStrength
{
    /// <summary>
    /// zxcvbn scores 0 (too guessable) to 4 (very unguessable); a new password needs at least this. Score 3 means
    /// an estimated 2·10^10 guesses or more (about 34 bits): far beyond online guessing under the lockout, and slow
    /// to crack offline against PBKDF2 with 210,000 iterations. Score 2 still admits "Rustdesk-Console-2026".
    /// </summary>
    public const int MinimumScore = 3;

    /// <summary>The highest score zxcvbn gives.</summary>
    public const int MaximumScore = 4;

    /// <summary>
    /// Characters the estimator reads in one piece. Its cost grows steeply with length (512 characters take most of
    /// a second), while a 64-character piece takes tens of milliseconds. Longer passwords are scored by their first
    /// and last 64 characters: a password is at least as hard to guess as any piece of it.
    /// </summary>
    public const int MaxEstimatedLength = 64;

    /// <summary>Words every console user might reach for: the product, its parts and its roles.</summary>
    public static readonly IReadOnlyList<string> ServiceWords =
        ["rustdesk", "rust", "desk", "console", "remote", "desktop", "admin", "administrator", "support", "root"];

    /// <summary>The zxcvbn score (0–4) of <paramref name="password"/>, with the service's and the user's words as context.</summary>
    public static int Score(string password, IEnumerable<string?> userInputs)
    {
        ArgumentNullException.ThrowIfNull(password);
        var words = ContextWords(userInputs);
        var best = 0;
        foreach (var piece in Pieces(password))
        {
            best = Math.Max(best, Estimate(piece, words));
            if (best >= MinimumScore)
            {
                break;
            }
        }
        return best;
    }

    /// <summary>
    /// What the estimator reads: the password itself up to <see cref="MaxEstimatedLength"/> characters, else its first
    /// and its last <see cref="MaxEstimatedLength"/> (one more where a cut would split a surrogate pair).
    /// </summary>
    internal static IReadOnlyList<string> Pieces(string password) =>
        password.Length <= MaxEstimatedLength
            ? [password]
            : [password[..CutAt(password, MaxEstimatedLength, forward: true)], password[CutAt(password, password.Length - MaxEstimatedLength, forward: false)..]];

    /// <summary>What the estimator should know about <paramref name="user"/>: user name, email and display name.</summary>
    public static IEnumerable<string?> InputsOf(ConsoleUser user) => [user.UserName, user.Email, user.DisplayName];

    /// <summary>
    /// Lower-case context words: the service's words, every input whole, and its parts (split at anything that is
    /// not a letter or digit, e.g. "jane.doe@example.com" gives "jane", "doe", "example"). Parts shorter than three
    /// characters are left out: they would mark single letters of every password as known.
    /// </summary>
    internal static List<string> ContextWords(IEnumerable<string?> userInputs)
    {
        var words = new HashSet<string>(ServiceWords, StringComparer.Ordinal);
        foreach (var input in userInputs)
        {
            if (string.IsNullOrWhiteSpace(input))
            {
                continue;
            }
            // Context comes from user-controlled fields; bound it like the password itself.
            var text = input.Trim().ToLowerInvariant();
            text = text.Length > 256 ? text[..256] : text;
            if (text.Length >= 3)
            {
                words.Add(text);
            }
            var spaced = new string([.. text.Select(c => char.IsLetterOrDigit(c) ? c : ' ')]);
            foreach (var part in spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length >= 3)
                {
                    words.Add(part);
                }
            }
        }
        return [.. words];
    }

    /// <summary>
    /// One estimator for the process. The static <c>Zxcvbn.MatchPassword</c> builds its frequency dictionaries anew on
    /// every call (about 13 MB and 90 ms); this instance builds them once (lazily, thread-safe) and then costs well
    /// under a megabyte per call. Calls share nothing else: the context words are a matcher of their own per call
    /// (tested: they do not leak into the next call, and concurrent calls agree with sequential ones).
    /// </summary>
    private static readonly Zxcvbn.Zxcvbn Estimator = new();

    private static int Estimate(string password, List<string> words) =>
        Math.Clamp(Estimator.EvaluatePassword(password, words).Score, 0, MaximumScore);

    /// <summary>Moves a cut that would fall between the halves of a surrogate pair to keep the pair whole.</summary>
    private static int CutAt(string text, int index, bool forward) =>
        index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) ? (forward ? index + 1 : index - 1) : index;
}

/// <summary>What a strength meter shows: the estimator's score and, when the password would be refused, why.</summary>
public sealed record PasswordVerdict(int Score, PasswordProblem? Problem)
{
    public static readonly PasswordVerdict Empty = new(0, PasswordProblem.Empty);

    public bool Acceptable => Problem is null;
}
