using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.ReVerification;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.ReVerification;

/// <summary>
/// The one table of what proves the user before each protected change. Every change is listed here with its proof
/// with and without 2FA, so a change added to <see cref="ProtectedChange"/> or <see cref="StaffAction"/> without a
/// decided proof fails, and so does any change of a proof.
/// </summary>
public sealed class ReVerificationPolicyTests
{
    private const Proof Grant = Proof.SessionGrant;

    public static TheoryData<ProtectedChange, Proof, Proof> ExpectedRules() => new()
    {
        { ProtectedChange.EnableTwoFactor, Grant, Grant },
        { ProtectedChange.RenewTwoFactor, Proof.Unavailable, Grant },
        { ProtectedChange.DisableTwoFactor, Proof.Unavailable, Proof.SecondFactorCode },
        { ProtectedChange.RegenerateBackupCodes, Proof.Unavailable, Grant },
        { ProtectedChange.ChangeEmail, Grant, Grant },
        { ProtectedChange.TurnEmailVerificationOn, Proof.AddressCode, Grant | Proof.AddressCode },
        { ProtectedChange.TurnEmailVerificationOff, Grant, Grant },
        { ProtectedChange.AlarmSetting, Proof.None, Grant },
        { ProtectedChange.ChangePassword, Proof.CurrentPassword, Proof.CurrentPassword | Grant },
        { ProtectedChange.RevokeDevice, Proof.None, Grant },
        { ProtectedChange.RevokeOtherDevices, Proof.None, Grant },
        { ProtectedChange.AddPasskey, Grant, Grant },
        { ProtectedChange.RenamePasskey, Proof.Unavailable, Grant },
        { ProtectedChange.RemovePasskey, Proof.Unavailable, Grant },
    };

    [Theory]
    [MemberData(nameof(ExpectedRules))]
    public void Rules_ProtectedChange_HasItsProof(ProtectedChange change, Proof withoutTwoFactor, Proof withTwoFactor)
    {
        Assert.Equal(new ProofRule(withoutTwoFactor, withTwoFactor), ReVerificationPolicy.Rules[change]);
    }

    [Fact]
    public void Rules_EveryProtectedChange_IsDecidedHereAndInThePolicy()
    {
        var expected = ExpectedRules().Select(row => (ProtectedChange)row[0]).ToHashSet();

        Assert.All(Enum.GetValues<ProtectedChange>(), change =>
        {
            Assert.Contains(change, expected);
            Assert.True(ReVerificationPolicy.Rules.ContainsKey(change), $"{change} has no rule");
        });
    }

    [Fact]
    public void StaffRules_EveryStaffAction_NeedsTheActorsTwoFactorAndAGrant_ButLooking()
    {
        Assert.All(Enum.GetValues<StaffAction>(), action => Assert.Equal(
            action == StaffAction.ViewUser ? new ProofRule(Proof.None, Proof.None) : new ProofRule(Proof.Unavailable, Grant),
            ReVerificationPolicy.StaffRules[action]));
    }

    [Fact]
    public void ProofFor_SeveralChangesAtOnce_NeedsEveryProof()
    {
        var changes = new[] { ProtectedChange.AlarmSetting, ProtectedChange.TurnEmailVerificationOn };

        Assert.Equal(Proof.AddressCode, ReVerificationPolicy.ProofFor(changes, twoFactorOn: false));
        Assert.Equal(Grant | Proof.AddressCode, ReVerificationPolicy.ProofFor(changes, twoFactorOn: true));
    }

    [Fact]
    public async Task DecideAsync_WithoutAGrant_RefusesOnlyWhatNeedsOne()
    {
        await using var host = await new CoreHost().InitializeAsync();
        var user = await host.CreateUserAsync("decided", "decided password 1");
        var session = await host.StoreSessionAsync("decided");

        var alarm = await host.WithAsync<ReVerificationPolicy, ProofDecision>(p => p.DecideAsync(user.Id, session.SessionId, ProtectedChange.AlarmSetting));
        var enable = await host.WithAsync<ReVerificationPolicy, ProofDecision>(p => p.DecideAsync(user.Id, session.SessionId, ProtectedChange.EnableTwoFactor));
        var password = await host.WithAsync<ReVerificationPolicy, ProofDecision>(p => p.DecideAsync(user.Id, session.SessionId, ProtectedChange.ChangePassword));

        Assert.Equal(new ProofDecision(false, Proof.None), alarm);
        Assert.Equal(new ProofDecision(true, Proof.None), enable);
        Assert.Equal(new ProofDecision(false, Proof.CurrentPassword), password);
    }
}
