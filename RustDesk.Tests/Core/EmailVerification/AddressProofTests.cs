using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Tests.Core.TwoFactor;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.EmailVerification;

/// <summary>
/// Proving a new address: the Basic-tab save (<see cref="BasicSettingsService"/>) hands it to <see cref="AddressProof"/>,
/// whose code, resend, cancel and wrong-entry limit decide whether it is written.
/// </summary>
public sealed class AddressProofTests : IAsyncLifetime
{
    private EmailTestHost _env = default!;
    private ConsoleUser _user = default!;

    public async Task InitializeAsync()
    {
        _env = await EmailTestHost.StartAsync();
        _user = await _env.Host.CreateUserAsync("max", "max password 12", email: "max@example.com");
        _session = await _env.Host.VerifiedSessionAsync("max", "max password 12");
    }

    private StoredSession _session = default!;

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private Task<AddressChangeResult> SaveAsync(string? email, bool verification, bool alarm = false) =>
        _env.Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(_user.Id, _session.SessionId, email, verification, alarm));

    private Task<AddressChangeResult> ConfirmAddressAsync(string? code) =>
        _env.Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.ConfirmAddressAsync(_user.Id, _session.SessionId, code));

    private async Task<ConsoleUser> ReloadAsync() => (await _env.Host.FindUserAsync("max"))!;

    /// <summary>Email login verification on for max@example.com, proved with the code sent there.</summary>
    private async Task TurnVerificationOnForTheStoredAddressAsync()
    {
        await SaveAsync("max@example.com", verification: true);
        Assert.Equal(AddressChangeStatus.Confirmed, (await ConfirmAddressAsync(await _env.DeliverAndReadCodeAsync("max@example.com"))).Status);
    }

    [Fact]
    public async Task SaveAsync_TurningVerificationOn_WaitsForTheCodeSentToTheAddress()
    {
        var submitted = await SaveAsync("max.new@example.com", verification: true, alarm: true);
        var before = await ReloadAsync();
        var code = await _env.DeliverAndReadCodeAsync("max.new@example.com");

        var confirmed = await ConfirmAddressAsync(code);
        var after = await ReloadAsync();

        Assert.Equal(AddressChangeStatus.CodeSent, submitted.Status);
        Assert.Equal("max@example.com", before.Email);
        Assert.False(before.EmailLoginVerification);
        Assert.True(before.AlarmNotificationEnabled);
        Assert.Equal(AddressChangeStatus.Confirmed, confirmed.Status);
        Assert.Equal("max.new@example.com", after.Email);
        Assert.True(after.EmailLoginVerification);
        Assert.True(after.EmailConfirmed);
    }

    [Fact]
    public async Task ConfirmAddressAsync_WrongCodeFiveTimes_VoidsTheRequestAndChangesNothing()
    {
        await SaveAsync("typo@exampel.com", verification: true);
        var code = await _env.DeliverAndReadCodeAsync("typo@exampel.com");
        var wrong = code == "000000" ? "111111" : "000000";

        var results = new List<AddressChangeStatus>();
        for (var i = 0; i < 5; i++)
        {
            results.Add((await ConfirmAddressAsync(wrong)).Status);
        }

        Assert.All(results.Take(4), r => Assert.Equal(AddressChangeStatus.WrongCode, r));
        Assert.Equal(AddressChangeStatus.NoRequest, results[4]);
        Assert.Equal(AddressChangeStatus.NoRequest, (await ConfirmAddressAsync(code)).Status);
        var user = await ReloadAsync();
        Assert.Equal("max@example.com", user.Email);
        Assert.False(user.EmailLoginVerification);
    }

    [Fact]
    public async Task CancelAsync_LeavesTheAccountAsItWas()
    {
        await SaveAsync("other@example.com", verification: true);
        var code = await _env.DeliverAndReadCodeAsync("other@example.com");

        await _env.Host.WithAsync<AddressProof, bool>(async s => { await s.CancelAsync(_user.Id, _session.SessionId); return true; });

        Assert.Equal(AddressChangeStatus.NoRequest, (await ConfirmAddressAsync(code)).Status);
        Assert.Equal("max@example.com", (await ReloadAsync()).Email);
    }

    [Fact]
    public async Task ConfirmAddressAsync_AfterLifetime_IsRefused()
    {
        await SaveAsync("late@example.com", verification: true);
        var code = await _env.DeliverAndReadCodeAsync("late@example.com");

        _env.Host.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(AddressChangeStatus.NoRequest, (await ConfirmAddressAsync(code)).Status);
        Assert.False((await ReloadAsync()).EmailLoginVerification);
    }

    [Fact]
    public async Task SaveAsync_VerificationOff_SavesAtOnceWithoutMail()
    {
        var result = await SaveAsync("plain@example.com", verification: false, alarm: true);
        await _env.DeliverAsync();

        Assert.Equal(AddressChangeStatus.Saved, result.Status);
        var user = await ReloadAsync();
        Assert.Equal("plain@example.com", user.Email);
        Assert.True(user.AlarmNotificationEnabled);
        Assert.Empty(_env.Smtp.Messages);
    }

    [Fact]
    public async Task SaveAsync_VerificationWithoutAddress_IsRefused()
    {
        Assert.Equal(AddressChangeStatus.EmailRequired, (await SaveAsync(null, verification: true)).Status);
        Assert.Equal(AddressChangeStatus.EmailRequired, (await SaveAsync("   ", verification: true)).Status);
    }

    [Fact]
    public async Task SaveAsync_TotpOn_RefusesEmailVerification()
    {
        await TwoFactorTestHelpers.EnableAsync(_env.Host, _user.Id, _session.SessionId);

        var result = await SaveAsync("max@example.com", verification: true);

        Assert.Equal(AddressChangeStatus.TotpActive, result.Status);
        Assert.False((await ReloadAsync()).EmailLoginVerification);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a b@example.com")]
    [InlineData("Max <max@example.com>")]
    public async Task SaveAsync_InvalidAddress_ChangesNothingAndSendsNothing(string email)
    {
        var result = await SaveAsync(email, verification: true);
        await _env.DeliverAsync();

        Assert.Equal(AddressChangeStatus.EmailInvalid, result.Status);
        Assert.Empty(_env.Smtp.Messages);
    }

    [Fact]
    public async Task SaveAsync_TenThousandCharacterAddress_IsInvalid()
    {
        var result = await SaveAsync(new string('a', 10_000) + "@example.com", verification: true);

        Assert.Equal(AddressChangeStatus.EmailInvalid, result.Status);
    }

    [Fact]
    public async Task SaveAsync_TurningVerificationOnForTheStoredAddress_StaysOffUntilTheCodeIsEntered()
    {
        // No call turns verification on without the code: not even for the address the account already has.
        var result = await SaveAsync("max@example.com", verification: true);

        Assert.Equal(AddressChangeStatus.CodeSent, result.Status);
        Assert.False((await ReloadAsync()).EmailLoginVerification);
    }

    [Fact]
    public async Task SaveAsync_ChangingTheAddressWhileOn_NeedsTheNewAddressProved()
    {
        await TurnVerificationOnForTheStoredAddressAsync();

        var moved = await SaveAsync("max2@example.com", verification: true);

        Assert.Equal(AddressChangeStatus.CodeSent, moved.Status);
        Assert.Equal("max@example.com", (await ReloadAsync()).Email);
    }

    [Theory]
    // The same mailbox written in other case: saved at once (no code to prove it again, no "invalid address"), and it
    // stays confirmed, with verification on or off.
    [InlineData("Max@Example.COM", true, true)]
    [InlineData("MAX@example.com", false, true)]
    // Another mailbox with verification off: saved, no longer confirmed.
    [InlineData("max.other@example.com", false, false)]
    public async Task SaveAsync_AfterTheAddressWasProved_KeepsItConfirmedOnlyForTheSameMailbox(string address, bool verification, bool confirmed)
    {
        await TurnVerificationOnForTheStoredAddressAsync();

        var saved = await SaveAsync(address, verification);
        var user = await ReloadAsync();

        Assert.Equal(AddressChangeStatus.Saved, saved.Status);
        Assert.Equal(address, user.Email);
        Assert.Equal(address.ToUpperInvariant(), user.NormalizedEmail);
        Assert.Equal(verification, user.EmailLoginVerification);
        Assert.Equal(confirmed, user.EmailConfirmed);
    }

    [Fact]
    public async Task ConfirmAddressAsync_AddressNoLongerValid_IsRefusedAndChangesNothing()
    {
        // A request whose address the rules no longer accept (e.g. tightened by an upgrade while it was pending), with
        // its code hash bound to that address, so that only the write's own check can stop it.
        await SaveAsync("max.new@example.com", verification: true);
        var code = await _env.DeliverAndReadCodeAsync("max.new@example.com");
        const string NoLongerValid = "max.new@exam\u200Bple.com";
        var hash = await _env.Host.WithAsync<EmailCodeHasher, string>(h => h.HashAsync(_user.Id + ":" + NoLongerValid, code));
        await _env.Host.WithAsync<ConsoleDbContext, int>(db => db.EmailChangeRequests.Where(r => r.UserId == _user.Id)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.NewEmail, NoLongerValid).SetProperty(x => x.CodeHash, hash)));

        var confirmed = await ConfirmAddressAsync(code);
        var user = await ReloadAsync();

        Assert.Equal(AddressChangeStatus.EmailInvalid, confirmed.Status);
        Assert.Equal("max@example.com", user.Email);
        Assert.False(user.EmailLoginVerification);
    }

    [Fact]
    public async Task RequestRowAndOutbox_HoldNoAddressCodeInClear()
    {
        await SaveAsync("clear@example.com", verification: true);
        var code = await _env.DeliverAndReadCodeAsync("clear@example.com");

        var request = await _env.Host.WithAsync<ConsoleDbContext, EmailChangeRequest>(db => db.EmailChangeRequests.AsNoTracking().SingleAsync());
        var outbox = await _env.Host.WithAsync<ConsoleDbContext, List<string>>(db =>
            db.OutboxMessages.AsNoTracking().Select(m => m.TextBody + "|" + m.HtmlBody + "|" + m.Subject).ToListAsync());

        // Every text the request row and the queued mail keep: the code is neither there nor in the delivered mail's stored copy.
        Assert.DoesNotContain(code, request.CodeHash + "|" + request.NewEmail + "|" + request.UserId);
        Assert.NotEmpty(outbox);
        Assert.All(outbox, stored => Assert.DoesNotContain(code, stored));
    }
}
