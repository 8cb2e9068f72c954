using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.TwoFactor.Totp;

public sealed class TotpVerificationTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private byte[] _key = [];

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("Totp.User", "totp user password");
        (_key, _) = await EnableAsync(_host, _user.Id);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task VerifyAsync_CodeWithinOneStep_IsAccepted(int offset)
    {
        var result = await VerifyAsync(_host, _user.Id, CodeAt(_key, _host, offset));

        Assert.Equal(SecondFactorResult.Succeeded, result);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-3)]
    public async Task VerifyAsync_CodeTwoOrMoreStepsAway_IsRefused(int offset)
    {
        var result = await VerifyAsync(_host, _user.Id, CodeAt(_key, _host, offset));

        Assert.Equal(SecondFactorResult.Wrong, result);
    }

    [Fact]
    public async Task VerifyAsync_SameCodeTwice_SecondIsRefusedAsReplayAndLogged()
    {
        var code = CodeAt(_key, _host);

        var first = await VerifyAsync(_host, _user.Id, code);
        var second = await VerifyAsync(_host, _user.Id, code);

        Assert.Equal(SecondFactorResult.Succeeded, first);
        Assert.Equal(SecondFactorResult.Replayed, second);
        Assert.Contains(_host.Logs.Lines, l => l.Contains("replayed TOTP code", StringComparison.Ordinal) && l.Contains(_user.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_EarlierStepAfterLaterSucceeded_IsRefused()
    {
        var later = CodeAt(_key, _host, +1);
        var earlier = CodeAt(_key, _host, 0);

        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(_host, _user.Id, later));
        Assert.Equal(SecondFactorResult.Replayed, await VerifyAsync(_host, _user.Id, earlier));
    }

    [Fact]
    public async Task VerifyAsync_ConfirmingCodeOfEnrollment_CannotBeReplayedAtSignIn()
    {
        var user = await _host.CreateUserAsync("fresh", "fresh user password");
        var session = await _host.VerifiedSessionAsync("fresh", "fresh user password");
        var view = (await _host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(user.Id, session.SessionId))).View;
        var key = OtpNet.Base32Encoding.ToBytes(view!.SecretBase32);
        var code = CodeAt(key, _host);
        Assert.Equal(EnrollmentStatus.Enabled,
            (await _host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(user.Id, session.SessionId, code))).Status);

        Assert.Equal(SecondFactorResult.Replayed, await VerifyAsync(_host, user.Id, code));
    }

    [Fact]
    public async Task VerifyAsync_TwentyParallelSubmissionsOfOneCode_ExactlyOneSucceeds()
    {
        var code = CodeAt(_key, _host);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => VerifyAsync(_host, _user.Id, code))));

        Assert.Equal(1, results.Count(r => r == SecondFactorResult.Succeeded));
        Assert.Equal(19, results.Count(r => r == SecondFactorResult.Replayed));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")] // Arabic-Indic digits
    [InlineData("１２３４５６")] // full-width digits
    [InlineData("")]
    [InlineData(null)]
    [InlineData("123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task VerifyAsync_MalformedCode_IsInvalidFormatAndSpendsNothing(string? code)
    {
        var result = await VerifyAsync(_host, _user.Id, code);

        Assert.Equal(SecondFactorResult.InvalidFormat, result);
        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(_host, _user.Id, CodeAt(_key, _host)));
    }

    [Fact]
    public async Task VerifyAsync_CodeWithSpaces_IsAccepted()
    {
        var code = CodeAt(_key, _host);

        var result = await VerifyAsync(_host, _user.Id, code[..3] + " " + code[3..]);

        Assert.Equal(SecondFactorResult.Succeeded, result);
    }

    [Fact]
    public async Task VerifyAsync_UserWithout2fa_IsNotEnabled()
    {
        var other = await _host.CreateUserAsync("plain", "plain user password");

        Assert.Equal(SecondFactorResult.NotEnabled, await VerifyAsync(_host, other.Id, "123456"));
    }

    [Fact]
    public async Task Database_AfterEnabling_HoldsNeitherKeyNorBackupCodesInClear()
    {
        // Arrange: a second user whose codes we know.
        var user = await _host.CreateUserAsync("secretive", "secretive password");
        var (key, codes) = await EnableAsync(_host, user.Id);
        var base32 = OtpNet.Base32Encoding.ToString(key).TrimEnd('=');

        // Act: every byte of the database files.
        var bytes = await _host.DatabaseBytesAsync();
        var text = System.Text.Encoding.Latin1.GetString(bytes);

        // Assert
        Assert.DoesNotContain(base32, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(key));
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, text, StringComparison.Ordinal);
        }
        var stored = await _host.WithAsync<ConsoleDbContext, List<string>>(db => db.BackupCodes.Where(c => c.UserId == user.Id).Select(c => c.Hash).ToListAsync());
        Assert.Equal(6, stored.Count);
        Assert.All(stored, h => Assert.StartsWith("v1$", h));
        Assert.Equal(6, stored.Select(h => h.Split('$')[2]).Distinct().Count()); // one salt per code
    }
}
