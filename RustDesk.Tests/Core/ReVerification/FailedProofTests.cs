using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.ReVerification;

/// <summary>
/// Every secret given inside a signed-in session is a guess like one at sign-in: a wrong one in the right format
/// counts toward the account's lockout, is audited naming the step with the session's IP address and browser, and
/// feeds the alarms; the lockout ends the session that made it; a locked account is refused even the right secret.
/// One theory per rule, run against each dialog's Core method.
/// </summary>
public sealed class FailedProofTests : IAsyncLifetime
{
    private const string Password = "prover password 12";
    private const string Ip = "203.0.113.77";
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;

    public async Task InitializeAsync()
    {
        // Alarms after five failures in a row, so that the lockout's ten show that the guesses feed them.
        _host = await new CoreHost(new Dictionary<string, string?> { ["Alarms:ConsecutiveFailures"] = "5" }).InitializeAsync();
        _user = await _host.CreateUserAsync("prover", Password, email: "prover@example.com");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private enum Outcome
    {
        Accepted,
        Wrong,
        Malformed,
        LockedOut,
        SessionEnded,
    }

    /// <param name="Right">The secret that proves the user.</param>
    /// <param name="Wrong">A wrong secret in the right format.</param>
    /// <param name="Malformed">An input that is not a guess (wrong format).</param>
    private sealed record Dialog(string Step, string SessionId, string Right, string Wrong, string Malformed, Func<string, Task<Outcome>> Submit);

    public static TheoryData<string> Dialogs() =>
        ["re-verification with a code", "re-verification with the password", "disable 2FA", "enable 2FA", "password change"];

    /// <summary>The user signed in from <see cref="Ip"/> with <see cref="Browser"/>, with the dialog open.</summary>
    private async Task<Dialog> OpenAsync(string name)
    {
        var twoFactor = name is "re-verification with a code" or "disable 2FA";
        byte[] key = [];
        if (twoFactor)
        {
            (key, _) = await EnableAsync(_host, _user.Id);
        }
        var session = await _host.StoreSessionAsync("prover");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == session.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IpAddress, Ip).SetProperty(s => s.UserAgent, Browser)));
        var sid = session.SessionId;
        switch (name)
        {
            case "re-verification with a code":
            case "re-verification with the password":
                return new Dialog(ProofSteps.ReVerification, sid, twoFactor ? CodeAt(key, _host) : Password,
                    twoFactor ? WrongCodeFor(key) : "not the password", twoFactor ? "12345" : "",
                    async secret => await _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(_user.Id, sid, secret)) switch
                    {
                        ReVerificationStatus.Verified => Outcome.Accepted,
                        ReVerificationStatus.Wrong => Outcome.Wrong,
                        ReVerificationStatus.InvalidFormat => Outcome.Malformed,
                        ReVerificationStatus.LockedOut => Outcome.LockedOut,
                        _ => Outcome.SessionEnded,
                    });
            case "disable 2FA":
                return new Dialog(ProofSteps.DisableTwoFactor, sid, CodeAt(key, _host), WrongCodeFor(key), "12345",
                    async code => await _host.WithAsync<TwoFactorService, SecondFactorResult>(s => s.DisableAsync(_user.Id, sid, code)) switch
                    {
                        SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode => Outcome.Accepted,
                        SecondFactorResult.Wrong or SecondFactorResult.Replayed => Outcome.Wrong,
                        SecondFactorResult.InvalidFormat => Outcome.Malformed,
                        SecondFactorResult.LockedOut => Outcome.LockedOut,
                        _ => Outcome.SessionEnded,
                    });
            case "enable 2FA":
                await _host.GrantAsync(session);
                var view = (await _host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(_user.Id, sid))).View!;
                var pending = Base32Encoding.ToBytes(view.SecretBase32);
                return new Dialog(ProofSteps.EnableTwoFactor, sid, CodeAt(pending, _host), WrongCodeFor(pending), "12345",
                    async code => (await _host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(_user.Id, sid, code))).Status switch
                    {
                        EnrollmentStatus.Enabled => Outcome.Accepted,
                        EnrollmentStatus.WrongCode or EnrollmentStatus.TooManyAttempts or EnrollmentStatus.NotStarted => Outcome.Wrong,
                        EnrollmentStatus.InvalidCode => Outcome.Malformed,
                        EnrollmentStatus.LockedOut => Outcome.LockedOut,
                        _ => Outcome.SessionEnded,
                    });
            default:
                return new Dialog(ProofSteps.PasswordChange, sid, Password, "not the password", "",
                    async current => (await _host.WithAsync<AccountSettingsService, SettingsResult>(
                        s => s.ChangePasswordAsync(_user.Id, sid, current, "the next password 12", "the next password 12"))).Error switch
                    {
                        SettingsError.None => Outcome.Accepted,
                        SettingsError.PasswordWrong when current.Length == 0 => Outcome.Malformed,
                        SettingsError.PasswordWrong => Outcome.Wrong,
                        SettingsError.LockedOut => Outcome.LockedOut,
                        _ => Outcome.SessionEnded,
                    });
        }
    }

    private string WrongCodeFor(byte[] key)
    {
        var window = new[] { -1, 0, 1 }.Select(step => CodeAt(key, _host, step)).ToHashSet();
        return new[] { "000000", "111111", "222222", "333333" }.First(code => !window.Contains(code));
    }

    /// <summary>What the user's account holds that a proof could change: password, 2FA key, backup codes.</summary>
    private Task<string> AccountAsync() => _host.WithAsync<ConsoleDbContext, string>(async db =>
        string.Join("|", await db.Users.Where(u => u.Id == _user.Id).Select(u => u.PasswordHash + u.SecurityStamp).SingleAsync(),
            await db.TotpAuthenticators.Where(a => a.UserId == _user.Id).Select(a => a.ProtectedSecret).SingleOrDefaultAsync(),
            await db.BackupCodes.CountAsync(c => c.UserId == _user.Id && c.UsedAt == null)));

    private Task<List<AuditEvent>> FailuresAsync() => _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking()
        .Where(e => e.TargetUserId == _user.Id && (e.Kind == AuditKinds.ReVerificationFailed || e.Kind == AuditKinds.SignInFailed || e.Kind == AuditKinds.SignInLockedOut))
        .OrderBy(e => e.Id).ToListAsync());

    private Task<bool> SessionValidAsync(Dialog dialog) =>
        _host.WithAsync<RustDesk.Core.Sessions.SessionService, bool>(s => s.IsValidAsync(dialog.SessionId, _user.Id));

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task WrongSecrets_UntilTheAccountLocks_AreCountedAuditedAlarmedAndEndTheSession(string name)
    {
        var dialog = await OpenAsync(name);
        var account = await AccountAsync();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 10; i++)
        {
            outcomes.Add(await dialog.Submit(dialog.Wrong));
        }

        Assert.All(outcomes.Take(9), o => Assert.Equal(Outcome.Wrong, o));
        Assert.Equal(Outcome.LockedOut, outcomes[9]);
        Assert.False(await SessionValidAsync(dialog));
        Assert.True((await _host.FindUserAsync("prover"))!.LockedOutUntil > _host.Time.GetUtcNow().UtcDateTime);
        var failures = await FailuresAsync();
        Assert.Equal(10, failures.Count);
        // The detail names the step, then the budget it spent (a session without a device cookie: unknown clients).
        Assert.All(failures, e => Assert.Equal((dialog.Step, Ip, Browser), (e.Detail.Split(';')[0], e.IpAddress, e.UserAgent)));
        Assert.All(failures, e => Assert.Contains("unknown clients", e.Detail, StringComparison.Ordinal));
        // A wrong secret inside a session is a failed re-verification, not a failed sign-in; the one that locked is a lockout
        // as at sign-in, and the alarms count them all as they count failed sign-ins.
        Assert.All(failures.Take(9), e => Assert.Equal(AuditKinds.ReVerificationFailed, e.Kind));
        Assert.Equal(AuditKinds.SignInLockedOut, failures[^1].Kind);
        Assert.True(await _host.WithAsync<ConsoleDbContext, bool>(db => db.AuditEvents.AnyAsync(e => e.Kind == AuditKinds.AlarmRaised && e.TargetUserId == _user.Id)));
        // The ended session cannot go on, not even with the right secret; nothing changed.
        Assert.Equal(Outcome.SessionEnded, await dialog.Submit(dialog.Right));
        Assert.Equal(account, await AccountAsync());
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task LockedAccount_IsRefusedTheRightSecretAndTheSessionEnds(string name)
    {
        var dialog = await OpenAsync(name);
        var account = await AccountAsync();
        // Someone else guesses the password at the sign-in page until the account locks.
        for (var i = 0; i < 10; i++)
        {
            await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("prover", "a guessed password " + i));
        }

        var outcome = await dialog.Submit(dialog.Right);

        Assert.Equal(Outcome.LockedOut, outcome);
        Assert.False(await SessionValidAsync(dialog));
        Assert.Equal(account, await AccountAsync());
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task MalformedInput_IsNotAGuessAndIsNotCounted(string name)
    {
        var dialog = await OpenAsync(name);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Outcome.Malformed, await dialog.Submit(dialog.Malformed));
        }

        Assert.Equal(0, (await _host.FindUserAsync("prover"))!.AccessFailedCount);
        Assert.Empty(await FailuresAsync());
        Assert.True(await SessionValidAsync(dialog));
        Assert.Equal(Outcome.Accepted, await dialog.Submit(dialog.Right));
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Flood_AThousandWrongSecrets_AreRefusedCountedChangeNothingAndThrowNothing(string name)
    {
        var dialog = await OpenAsync(name);
        var account = await AccountAsync();
        var outcomes = new ConcurrentBag<Outcome>();

        // Four at a time, as from a script holding the page's circuit; any exception fails the test.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (_, _) => outcomes.Add(await dialog.Submit(dialog.Wrong)));

        Assert.Equal(1000, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { Outcome.Wrong, Outcome.LockedOut, Outcome.SessionEnded }));
        Assert.Contains(Outcome.LockedOut, outcomes);
        Assert.True(outcomes.Count(o => o == Outcome.SessionEnded) >= 900, "the lockout did not end the flood");
        // Every guess that was checked is counted: at least the ten that locked the account, at most one per answer.
        var counted = (await FailuresAsync()).Count;
        Assert.InRange(counted, Math.Max(10, outcomes.Count(o => o == Outcome.Wrong) + 1), outcomes.Count(o => o is Outcome.Wrong or Outcome.LockedOut));
        Assert.False(await SessionValidAsync(dialog));
        Assert.Equal(account, await AccountAsync());
    }
}
