using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.TwoFactor.BackupCodes;

public sealed class BackupCodeTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private IReadOnlyList<string> _codes = [];
    private byte[] _key = [];

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("backup", "backup user password");
        (_key, _codes) = await EnableAsync(_host, _user.Id);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Enable_GivesSixTenDigitCodes()
    {
        Assert.Equal(6, _codes.Count);
        Assert.All(_codes, c => Assert.Matches("^[0-9]{10}$", c));
        Assert.Equal(6, _codes.Distinct().Count());
    }

    [Fact]
    public async Task VerifyAsync_BackupCode_WorksExactlyOnce()
    {
        var first = await VerifyAsync(_host, _user.Id, _codes[0]);
        var second = await VerifyAsync(_host, _user.Id, _codes[0]);

        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, first);
        Assert.Equal(SecondFactorResult.Wrong, second);
        Assert.Equal(5, await _host.WithAsync<BackupCodeService, int>(s => s.CountUnusedAsync(_user.Id)));
    }

    [Theory]
    [InlineData("{0}-{1}")]
    [InlineData("{0} {1}")]
    [InlineData(" {0}{1} ")]
    public async Task VerifyAsync_BackupCodeWithSpacesOrHyphens_IsAccepted(string format)
    {
        var code = _codes[1];

        var result = await VerifyAsync(_host, _user.Id, string.Format(format, code[..5], code[5..]));

        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, result);
    }

    [Fact]
    public async Task VerifyAsync_TwentyParallelUsesOfOneBackupCode_ExactlyOneSucceeds()
    {
        var code = _codes[2];

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => VerifyAsync(_host, _user.Id, code))));

        Assert.Equal(1, results.Count(r => r == SecondFactorResult.SucceededWithBackupCode));
        Assert.Equal(19, results.Count(r => r == SecondFactorResult.Wrong));
    }

    [Fact]
    public async Task VerifyAsync_AnotherUsersBackupCode_IsRefused()
    {
        var other = await _host.CreateUserAsync("other", "other user password");
        await EnableAsync(_host, other.Id);

        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(_host, other.Id, _codes[3]));
    }

    [Fact]
    public async Task RegenerateBackupCodesAsync_VoidsAllOldCodes()
    {
        var session = await _host.VerifiedSessionAsync("backup", CodeAt(_key, _host));

        var result = await _host.WithAsync<TwoFactorService, BackupCodesResult>(s => s.RegenerateBackupCodesAsync(_user.Id, session.SessionId));

        Assert.Equal(BackupCodesStatus.Generated, result.Status);
        var fresh = result.Codes!;
        Assert.Equal(6, fresh.Count);
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(_host, _user.Id, _codes[4]));
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(_host, _user.Id, fresh[0]));
    }

    [Fact]
    public async Task RegenerateBackupCodesAsync_WithoutReVerification_IsRefusedAndOldCodesStay()
    {
        var session = await _host.StoreSessionAsync("backup");

        var result = await _host.WithAsync<TwoFactorService, BackupCodesResult>(s => s.RegenerateBackupCodesAsync(_user.Id, session.SessionId));

        Assert.Equal(BackupCodesStatus.ReVerificationRequired, result.Status);
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(_host, _user.Id, _codes[5]));
    }

    [Fact]
    public async Task RegenerateBackupCodesAsync_Without2fa_GivesNothing()
    {
        var plain = await _host.CreateUserAsync("plain", "plain user password");
        var session = await _host.VerifiedSessionAsync("plain", "plain user password");

        var result = await _host.WithAsync<TwoFactorService, BackupCodesResult>(s => s.RegenerateBackupCodesAsync(plain.Id, session.SessionId));

        Assert.Equal(BackupCodesStatus.NotEnabled, result.Status);
        Assert.Null(result.Codes);
    }

    [Fact]
    public void Hasher_SameCodeTwice_GivesDifferentSaltedHashesThatBothVerify()
    {
        var hasher = new BackupCodeHasher(Microsoft.Extensions.Options.Options.Create(new TwoFactorOptions()));

        var a = hasher.Hash("0123456789");
        var b = hasher.Hash("0123456789");

        Assert.NotEqual(a, b);
        Assert.True(hasher.Verify(a, "0123456789"));
        Assert.True(hasher.Verify(b, "0123456789"));
        Assert.False(hasher.Verify(a, "0123456788"));
    }
}
