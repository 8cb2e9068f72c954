using RustDesk.Core.Security;

namespace RustDesk.Tests.Core.Security;

/// <summary>
/// The one comparison of secrets held as text (emailed-code hashes, the password a rating is remembered for): equal
/// only for the same characters, null only equal to null.
/// </summary>
public sealed class SecretTextTests
{
    [Theory]
    [InlineData("A1B2C3", "A1B2C3")]
    [InlineData("", "")]
    [InlineData("pässwört ✓ 密码", "pässwört ✓ 密码")]
    public void FixedTimeEquals_SameCharacters_IsTrue(string left, string right) =>
        Assert.True(SecretText.FixedTimeEquals(left, right));

    [Theory]
    [InlineData("A1B2C3", "A1B2C4")]   // the last character
    [InlineData("A1B2C3", "B1B2C3")]   // the first
    [InlineData("A1B2C3", "a1b2c3")]   // case counts: stored hashes are upper-case hex
    [InlineData("A1B2C3", "A1B2C")]    // a prefix
    [InlineData("A1B2C3", "A1B2C3 ")]  // a trailing space
    [InlineData("ä", "a\u0308")]       // the same letter, composed differently: other bytes
    [InlineData("", "0")]
    public void FixedTimeEquals_OtherCharacters_IsFalseEitherWayRound(string left, string right)
    {
        Assert.False(SecretText.FixedTimeEquals(left, right));
        Assert.False(SecretText.FixedTimeEquals(right, left));
    }

    [Fact]
    public void FixedTimeEquals_Null_EqualsOnlyNull()
    {
        Assert.True(SecretText.FixedTimeEquals(null, null));
        Assert.False(SecretText.FixedTimeEquals(null, ""));
        Assert.False(SecretText.FixedTimeEquals("", null));
        Assert.False(SecretText.FixedTimeEquals(null, "A1B2C3"));
    }
}
