using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.TwoFactor.Settings;

public sealed class TotpEnrollmentTests : IAsyncLifetime
{
    private const string Password = "enrolling password";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private StoredSession _session = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("Enrolling.User", Password);
        // The password re-verifies the session: enabling 2FA for the first time needs it (ReVerificationPolicy).
        _session = await _host.VerifiedSessionAsync("Enrolling.User", Password);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<TotpEnrollmentView?> StartAsync(StoredSession? session = null) =>
        (await _host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(_user.Id, (session ?? _session).SessionId))).View;

    private Task<EnrollmentResult> ConfirmAsync(string? code, StoredSession? session = null) =>
        _host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(_user.Id, (session ?? _session).SessionId, code));

    private Task<TwoFactorStatus> StatusAsync() =>
        _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id));

    [Fact]
    public async Task StartAsync_NewUser_Gives160BitKeyUriAndQr()
    {
        var view = await StartAsync();

        Assert.NotNull(view);
        Assert.Equal(32, view.SecretBase32.Length);
        Assert.Equal(20, Base32Encoding.ToBytes(view.SecretBase32).Length);
        Assert.Equal(string.Join(' ', view.SecretBase32.Chunk(4).Select(c => new string(c))), view.SecretGrouped);
        Assert.Equal($"otpauth://totp/RustDesk:Enrolling.User?secret={view.SecretBase32}&issuer=RustDesk&algorithm=SHA1&digits=6&period=30", view.OtpAuthUri);
        Assert.StartsWith("data:image/png;base64,", view.QrDataUri);
        Assert.False(view.IsRenewal);
    }

    [Fact]
    public async Task StartAsync_Twice_GivesAFreshKeyAndVoidsTheFirst()
    {
        var first = await StartAsync();
        var second = await StartAsync();

        Assert.NotEqual(first!.SecretBase32, second!.SecretBase32);
        Assert.Equal(EnrollmentStatus.WrongCode, (await ConfirmAsync(CodeAt(Base32Encoding.ToBytes(first.SecretBase32), _host))).Status);
        Assert.Equal(EnrollmentStatus.Enabled, (await ConfirmAsync(CodeAt(Base32Encoding.ToBytes(second.SecretBase32), _host))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_WrongCode_KeepsTheKeyForARetry()
    {
        var view = await StartAsync();
        var key = Base32Encoding.ToBytes(view!.SecretBase32);
        var wrong = CodeAt(key, _host) == "000000" ? "111111" : "000000";

        var failed = await ConfirmAsync(wrong);
        var succeeded = await ConfirmAsync(CodeAt(key, _host));

        Assert.Equal(EnrollmentStatus.WrongCode, failed.Status);
        Assert.Equal(EnrollmentStatus.Enabled, succeeded.Status);
    }

    [Fact]
    public async Task CancelAsync_DiscardsTheKey()
    {
        var view = await StartAsync();
        var key = Base32Encoding.ToBytes(view!.SecretBase32);

        await _host.WithAsync<TotpEnrollmentService, bool>(async s => { await s.CancelAsync(_user.Id, _session.SessionId); return true; });

        Assert.Equal(EnrollmentStatus.NotStarted, (await ConfirmAsync(CodeAt(key, _host))).Status);
        Assert.NotEqual(view.SecretBase32, (await StartAsync())!.SecretBase32);
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task ConfirmAsync_AfterFifteenMinutes_KeyHasExpired()
    {
        var view = await StartAsync();
        var key = Base32Encoding.ToBytes(view!.SecretBase32);

        _host.Time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(EnrollmentStatus.NotStarted, (await ConfirmAsync(CodeAt(key, _host))).Status);
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task ConfirmAsync_NeverStarted_IsRefused()
    {
        Assert.Equal(EnrollmentStatus.NotStarted, (await ConfirmAsync("123456")).Status);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12 456")]
    [InlineData("abcdef")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData(null)]
    public async Task ConfirmAsync_MalformedCode_IsInvalidUncountedAndKeepsTheKey(string? code)
    {
        var view = await StartAsync();

        Assert.Equal(EnrollmentStatus.InvalidCode, (await ConfirmAsync(code)).Status);
        Assert.Equal(0, (await _host.FindUserAsync("enrolling.user"))!.AccessFailedCount);
        Assert.Equal(EnrollmentStatus.Enabled, (await ConfirmAsync(CodeAt(Base32Encoding.ToBytes(view!.SecretBase32), _host))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_WrongCodesUpToTheEnrollmentLimit_DiscardsTheKey()
    {
        // The enrollment's own limit below the account's lockout (10), so that the limit is what ends it here.
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["TwoFactor:EnrollmentMaxAttempts"] = "5" }).InitializeAsync();
        var user = await host.CreateUserAsync("limited", Password);
        var session = await host.VerifiedSessionAsync("limited", Password);
        var view = (await host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(user.Id, session.SessionId))).View;
        var key = Base32Encoding.ToBytes(view!.SecretBase32);
        var right = CodeAt(key, host);
        var wrong = right == "000000" ? "111111" : "000000";

        var results = new List<EnrollmentStatus>();
        for (var i = 0; i < 5; i++)
        {
            results.Add((await host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(user.Id, session.SessionId, wrong))).Status);
        }

        Assert.All(results.Take(4), s => Assert.Equal(EnrollmentStatus.WrongCode, s));
        Assert.Equal(EnrollmentStatus.TooManyAttempts, results[4]);
        Assert.Equal(EnrollmentStatus.NotStarted,
            (await host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(user.Id, session.SessionId, right))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_DoubleClick_EnablesOnceWithSixCodes()
    {
        var view = await StartAsync();
        var code = CodeAt(Base32Encoding.ToBytes(view!.SecretBase32), _host);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => ConfirmAsync(code))));

        Assert.Single(results, r => r.Status == EnrollmentStatus.Enabled);
        Assert.Single(results, r => r.Status == EnrollmentStatus.NotStarted);
        Assert.Equal(6, await _host.WithAsync<ConsoleDbContext, int>(db => db.BackupCodes.CountAsync(c => c.UserId == _user.Id)));
        Assert.Equal(6, (await StatusAsync()).UnusedBackupCodes);
    }

    [Fact]
    public async Task ConfirmAsync_Success_EnablesAndChangesTheSecurityStamp()
    {
        var before = (await _host.FindUserAsync("enrolling.user"))!.SecurityStamp;

        await EnableAsync(_host, _user.Id);

        var after = (await _host.FindUserAsync("ENROLLING.USER"))!.SecurityStamp;
        Assert.NotEqual(before, after);
        var status = await StatusAsync();
        Assert.Equal(TwoFactorState.Enabled, status.State);
        Assert.Equal(6, status.UnusedBackupCodes);
    }

    [Fact]
    public async Task GetStatusAsync_AtExpiryDays_FlipsToExpiredAndStillVerifies()
    {
        var (key, _) = await EnableAsync(_host, _user.Id);
        var changedAt = (await StatusAsync()).SecretChangedAt!.Value;

        _host.Time.SetUtcNow(new DateTimeOffset(changedAt.AddDays(180).AddSeconds(-1), TimeSpan.Zero));
        var justBefore = await StatusAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await StatusAsync();

        Assert.Equal(TwoFactorState.Enabled, justBefore.State);
        Assert.True(justBefore.RenewalReminder);
        Assert.Equal(TwoFactorState.Expired, atExpiry.State);
        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(_host, _user.Id, CodeAt(key, _host)));
    }

    [Fact]
    public async Task GetStatusAsync_ReminderStartsFourteenDaysBeforeExpiry()
    {
        await EnableAsync(_host, _user.Id);
        var changedAt = (await StatusAsync()).SecretChangedAt!.Value;

        _host.Time.SetUtcNow(new DateTimeOffset(changedAt.AddDays(166).AddSeconds(-1), TimeSpan.Zero));
        var before = await StatusAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var from = await StatusAsync();

        Assert.False(before.RenewalReminder);
        Assert.True(from.RenewalReminder);
    }

    [Fact]
    public async Task Renewal_AsksForACodeBeforeTheNewKeyAndTheOldKeyWorksUntilItIsConfirmed()
    {
        // Arrange: 2FA on with key A, long enough ago to have expired; a fresh session.
        var (oldKey, oldCodes) = await EnableAsync(_host, _user.Id);
        _host.Time.Advance(TimeSpan.FromDays(181));
        Assert.Equal(TwoFactorState.Expired, (await StatusAsync()).State);
        var session = await _host.StoreSessionAsync("enrolling.user");

        // Act 1: without re-verification no new key is made; after it (with a backup code of key A) key B is shown.
        var refused = await _host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(_user.Id, session.SessionId));
        Assert.True(refused.ReVerificationRequired);
        Assert.Null(refused.View);
        Assert.Equal(RustDesk.Core.ReVerification.ReVerificationStatus.Verified, await _host.WithAsync<RustDesk.Core.ReVerification.ReVerificationService,
            RustDesk.Core.ReVerification.ReVerificationStatus>(s => s.VerifyAsync(_user.Id, session.SessionId, oldCodes[1])));
        var renewal = await StartAsync(session);
        var newKey = Base32Encoding.ToBytes(renewal!.SecretBase32);
        Assert.True(renewal.IsRenewal);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(_host, _user.Id, CodeAt(oldKey, _host)));

        // Act 2: the grant runs out while the user scans; the key this session was shown still confirms.
        _host.Time.Advance(TimeSpan.FromMinutes(6));
        var confirmed = await ConfirmAsync(CodeAt(newKey, _host), session);
        _host.Time.Advance(TimeSpan.FromSeconds(60));

        // Assert: B works, A and A's backup codes do not, the state is enabled again.
        Assert.Equal(EnrollmentStatus.Enabled, confirmed.Status);
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(_host, _user.Id, CodeAt(oldKey, _host)));
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(_host, _user.Id, oldCodes[0]));
        Assert.True(await _host.IsValidAsync(session));
        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(_host, _user.Id, CodeAt(newKey, _host)));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task DisableAsync_WithWrongCode_ChangesNothing()
    {
        var (key, _) = await EnableAsync(_host, _user.Id, _session.SessionId);
        var wrong = CodeAt(key, _host) == "000000" ? "111111" : "000000";

        var result = await _host.WithAsync<TwoFactorService, SecondFactorResult>(s => s.DisableAsync(_user.Id, _session.SessionId, wrong));

        Assert.Equal(SecondFactorResult.Wrong, result);
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task DisableAsync_WithBackupCode_TurnsEverythingOff()
    {
        var (_, codes) = await EnableAsync(_host, _user.Id, _session.SessionId);

        var result = await _host.WithAsync<TwoFactorService, SecondFactorResult>(s => s.DisableAsync(_user.Id, _session.SessionId, codes[0]));

        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, result);
        var status = await StatusAsync();
        Assert.Equal(TwoFactorState.NotEnabled, status.State);
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.BackupCodes.CountAsync(c => c.UserId == _user.Id)));
    }
}
