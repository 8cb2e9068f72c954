using RustDesk.Core.Accounts;

namespace RustDesk.Tests.Core.Accounts;

/// <summary>NIST SP 800-63B §5.1.1.2: no common, expected or context-derived passwords; length rules kept.</summary>
public sealed class PasswordRulesTests
{
    private static readonly string?[] Jonathan = ["jonathan.kowalski", "jonathan.kowalski@example.com", "Jonathan Kowalski"];

    [Theory]
    [InlineData("password123")]
    [InlineData("qwertyuiop")]
    [InlineData("Password123!")]
    [InlineData("iloveyou!!")]
    [InlineData("letmein2024")]
    [InlineData("Summer2024!")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("12345678910")]
    public void Check_CommonOrPatternPassword_IsTooWeak(string password)
    {
        Assert.Equal(PasswordProblem.TooWeak, PasswordRules.Check(password, []));
    }

    [Theory]
    [InlineData("rustdesk2024")]
    [InlineData("RustDeskConsole!")]
    [InlineData("rustdesk-console-admin")]
    public void Check_BuiltFromTheProductsName_IsTooWeak(string password)
    {
        Assert.Equal(PasswordProblem.TooWeak, PasswordRules.Check(password, []));
    }

    [Theory]
    [InlineData("kowalski-jonathan-77")]
    [InlineData("jonathan.kowalski@example.com")]
    public void Check_BuiltFromTheUsersOwnName_IsTooWeakForThatUserOnly(string password)
    {
        // The same password is fine for someone else: the refusal comes from the user's own words.
        Assert.Null(PasswordRules.Check(password, ["someone.else", "someone@example.org"]));

        Assert.Equal(PasswordProblem.TooWeak, PasswordRules.Check(password, Jonathan));
    }

    [Fact]
    public void Check_ConsoleUser_UsesNameEmailAndDisplayName()
    {
        var user = new ConsoleUser { UserName = "jk", Email = "jonathan.kowalski@example.com", DisplayName = "Jonathan Kowalski" };

        Assert.Equal(PasswordProblem.TooWeak, PasswordRules.Check("kowalski-jonathan-77", user));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("zebra lantern quietly")]
    [InlineData("Tall-Cactus-Mirror-2026")]
    [InlineData("Grüße aus dem sonnigen Köln an alle")]
    public void Check_LongPassphrase_IsAccepted(string password)
    {
        Assert.Null(PasswordRules.Check(password, Jonathan));
    }

    [Theory]
    [InlineData("", PasswordProblem.Empty)]
    [InlineData("Zq9#kW!", PasswordProblem.TooShort)]
    [InlineData("zebra\u0000lantern quietly", PasswordProblem.ControlCharacters)]
    public void Check_LengthAndCharacterRules_StillComeFirst(string password, PasswordProblem expected)
    {
        Assert.Equal(expected, PasswordRules.Check(password, []));
    }

    [Fact]
    public void Check_StrongButShort_IsAcceptedAtEightCharacters()
    {
        // No composition rules and no extra length: eight unpredictable characters are enough.
        Assert.Null(PasswordRules.Check("Zq9#kW!x", []));
    }

    [Fact]
    public void Check_129Characters_IsTooLongWithoutRunningTheEstimator()
    {
        Assert.Equal(PasswordProblem.TooLong, PasswordRules.Check(string.Concat(Enumerable.Repeat("Zq9#kW!x", 17))[..129], []));
        Assert.Equal(PasswordProblem.TooLong, PasswordRules.Check(new string('x', 100_000), []));
    }

    [Fact]
    public void Check_128RandomCharacters_IsAccepted()
    {
        Assert.Null(PasswordRules.Check(string.Concat(Enumerable.Repeat("Zq9#kW!x", 16)), []));
    }

    [Fact]
    public void Score_LongPassword_IsScoredByItsFirstAndLast64Characters()
    {
        const string weak = "passwordpasswordpasswordpasswordpasswordpasswordpasswordpassword"; // 64 characters
        const string strong = "correct horse battery staple zebra lantern quietly Tall-Cactus-M"; // 64 characters

        // A weak start does not hide a strong end (the whole is at least as hard to guess as any piece of it) ...
        Assert.True(PasswordStrength.Score(weak + strong, []) >= PasswordStrength.MinimumScore);
        Assert.True(PasswordStrength.Score(strong + weak, []) >= PasswordStrength.MinimumScore);
        // ... and a long repetition of a common word stays weak.
        Assert.True(PasswordStrength.Score(weak + weak, []) < PasswordStrength.MinimumScore);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(512)]
    public void Pieces_LongPassword_EstimatorReadsAtMostTwo64CharacterPieces(int length)
    {
        var password = string.Concat(Enumerable.Repeat("Zq9#kW!x", 64))[..length];

        var pieces = PasswordStrength.Pieces(password);

        Assert.Equal(2, pieces.Count);
        Assert.All(pieces, p => Assert.Equal(PasswordStrength.MaxEstimatedLength, p.Length));
        Assert.Equal(password[..64], pieces[0]);
        Assert.Equal(password[^64..], pieces[1]);
    }

    [Fact]
    public void Pieces_SurrogatePairAtEitherCut_IsKeptWhole()
    {
        // 63 letters, 40 emoji (surrogate pairs), one letter: 144 UTF-16 units, and both cuts (64, 80) fall inside a pair.
        var password = new string('a', 63) + string.Concat(Enumerable.Repeat("\U0001F600", 40)) + "b";

        var pieces = PasswordStrength.Pieces(password);

        Assert.All(pieces, p => Assert.False(char.IsLowSurrogate(p[0]) || char.IsHighSurrogate(p[^1]), "a piece splits a surrogate pair"));
        Assert.All(pieces, p => Assert.Equal(65, p.Length));
    }

    [Fact]
    public void Pieces_ShortPassword_IsReadWhole()
    {
        Assert.Equal(["correct horse battery staple"], PasswordStrength.Pieces("correct horse battery staple"));
    }

    [Fact]
    public void Score_SharedEstimator_ContextWordsDoNotLeakIntoTheNextCall()
    {
        Assert.True(PasswordStrength.Score("kowalski-jonathan-77", Jonathan) < PasswordStrength.MinimumScore);

        Assert.True(PasswordStrength.Score("kowalski-jonathan-77", []) >= PasswordStrength.MinimumScore);
    }

    [Fact]
    public void Score_ConcurrentCalls_AgreeWithSequentialOnes()
    {
        string[] passwords = ["kowalski-jonathan-77", "password123", "zebra lantern quietly", "Summer2024!", "Tall-Cactus-Mirror-2026"];
        var expected = passwords.Select(p => PasswordStrength.Score(p, Jonathan)).ToArray();
        var other = new string?[] { "someone.else" };

        var results = new int[200];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = PasswordStrength.Score(passwords[i % passwords.Length], i % 2 == 0 ? Jonathan : other));

        for (var i = 0; i < results.Length; i += 2)
        {
            Assert.Equal(expected[i % passwords.Length], results[i]);
        }
    }

    [Fact]
    public void ContextWords_SplitsAddressesAndNamesAndDropsShortParts()
    {
        var words = PasswordStrength.ContextWords(["Jo.Kowalski@Example.com", null, "  ", new string('z', 1000)]);

        Assert.Contains("jo.kowalski@example.com", words);
        Assert.Contains("kowalski", words);
        Assert.Contains("example", words);
        Assert.Contains("rustdesk", words);
        Assert.DoesNotContain("jo", words);
        Assert.DoesNotContain(words, w => w.Length > 256);
    }

    [Fact]
    public void Evaluate_ReportsScoreAndProblemForTheMeter()
    {
        var weak = PasswordRules.Evaluate("password123", []);
        var strong = PasswordRules.Evaluate("correct horse battery staple", []);
        var shortOne = PasswordRules.Evaluate("abc", []);

        Assert.Equal(PasswordProblem.TooWeak, weak.Problem);
        Assert.True(weak.Score < PasswordStrength.MinimumScore);
        Assert.True(strong.Acceptable);
        Assert.Equal(PasswordStrength.MaximumScore, strong.Score);
        Assert.Equal(PasswordProblem.TooShort, shortOne.Problem);
    }
}
