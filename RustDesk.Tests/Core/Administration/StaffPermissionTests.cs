using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Administration;

/// <summary>The role × action matrix, enforced by the Core service for every pair, against real accounts.</summary>
public sealed class StaffPermissionTests : IAsyncLifetime
{
    private const string Password = "staff password 12";
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A staff member of <paramref name="role"/> with 2FA on and a re-verified session.</summary>
    private async Task<(ConsoleUser Actor, StoredSession Session)> ActorAsync(string role)
    {
        var actor = await _host.CreateUserAsync("actor-" + role.ToLowerInvariant(), Password, role);
        var (key, _) = await EnableAsync(_host, actor.Id);
        var session = await _host.VerifiedSessionAsync(actor.UserName!, CodeAt(key, _host));
        return (actor, session);
    }

    private async Task<StaffResult> ActAsync(StaffAction action, string actorId, string? sessionId, string targetId) =>
        (await _host.WithAsync<UserAdministrationService, StaffActionResult>(s => action switch
        {
            StaffAction.ResetTwoFactor => s.ResetTwoFactorAsync(actorId, sessionId, targetId),
            StaffAction.DisableEmailVerification => s.DisableEmailVerificationAsync(actorId, sessionId, targetId),
            StaffAction.EnforceTwoFactor => s.SetTwoFactorEnforcedAsync(actorId, sessionId, targetId, true),
            StaffAction.StopEnforcingTwoFactor => s.SetTwoFactorEnforcedAsync(actorId, sessionId, targetId, false),
            StaffAction.ForceLogout => s.ForceLogoutAsync(actorId, sessionId, targetId),
            StaffAction.EditEmail => s.UpdateEmailAsync(actorId, sessionId, targetId, "changed-" + Guid.NewGuid().ToString("N")[..6] + "@example.com"),
            StaffAction.EditProfile => s.UpdateProfileAsync(actorId, sessionId, targetId, "Renamed", "note", UserStatus.Active),
            StaffAction.ChangeRoles => s.SetRolesAsync(actorId, sessionId, targetId, [Roles.User]),
            StaffAction.UnlockAccount => s.UnlockAccountAsync(actorId, sessionId, targetId),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        })).Result;

    /// <summary>Every actor role × action × target role, and whether it is allowed.</summary>
    public static TheoryData<string, StaffAction, string, bool> Matrix()
    {
        var data = new TheoryData<string, StaffAction, string, bool>();
        StaffAction[] supportMay = [StaffAction.ResetTwoFactor, StaffAction.DisableEmailVerification, StaffAction.EnforceTwoFactor,
            StaffAction.StopEnforcingTwoFactor, StaffAction.ForceLogout, StaffAction.EditEmail, StaffAction.UnlockAccount];
        foreach (var action in Enum.GetValues<StaffAction>().Where(a => a is not (StaffAction.ViewUser or StaffAction.CreateUser)))
        {
            foreach (var targetRole in Roles.All)
            {
                data.Add(Roles.Administrator, action, targetRole, true);
                // Only administrators act on staff: Support acting on Support could take over a colleague's account.
                data.Add(Roles.Support, action, targetRole, targetRole == Roles.User && supportMay.Contains(action));
                data.Add(Roles.User, action, targetRole, false);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Action_ByRoleOnTarget_IsAllowedExactlyPerTheMatrix(string role, StaffAction action, string targetRole, bool allowed)
    {
        var (actor, session) = await ActorAsync(role);
        var target = await _host.CreateUserAsync("target", "target password 1", targetRole, email: "target@example.com");
        var before = await CoreState.FingerprintAsync(_host);

        var result = await ActAsync(action, actor.Id, session.SessionId, target.Id);

        Assert.Equal(allowed ? StaffResult.Done : StaffResult.Forbidden, result);
        if (!allowed)
        {
            Assert.Equal(before, await CoreState.FingerprintAsync(_host));
        }
        var events = await _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().ToListAsync());
        Assert.Contains(events, e => e.ActorUserId == actor.Id && e.TargetUserId == target.Id
            && (allowed ? e.Kind.StartsWith("staff.", StringComparison.Ordinal) && e.Kind != AuditKinds.StaffRefused : e.Kind == AuditKinds.StaffRefused));
    }

    [Fact]
    public void Allows_SupportOnSupport_IsRefusedForEveryAction()
    {
        Assert.All(Enum.GetValues<StaffAction>(), action => Assert.False(StaffPermissions.Allows([Roles.Support], action, [Roles.Support])));
        Assert.All(Enum.GetValues<StaffAction>(), action => Assert.False(StaffPermissions.Allows([Roles.Support], action, [Roles.User, Roles.Support])));
    }

    [Fact]
    public void Allows_OnOnesOwnAccount_IsRefusedForEveryRoleAndAction()
    {
        string[][] roleSets = [[Roles.User], [Roles.Support], [Roles.Administrator], [Roles.Administrator, Roles.Support]];
        foreach (var roles in roleSets)
        {
            Assert.All(Enum.GetValues<StaffAction>(), action => Assert.False(StaffPermissions.Allows("me", roles, action, "me", roles)));
            Assert.Empty(StaffPermissions.AllowedOn("me", roles, "me", roles));
        }
        // Another user, and a user not yet created, are decided by the matrix alone.
        Assert.True(StaffPermissions.Allows("me", [Roles.Administrator], StaffAction.ResetTwoFactor, "other", [Roles.Administrator]));
        Assert.True(StaffPermissions.Allows("me", [Roles.Administrator], StaffAction.CreateUser, null, null));
        Assert.Equal(8, StaffPermissions.AllowedOn("me", [Roles.Support], "other", [Roles.User]).Count);
    }

    [Fact]
    public void AllowedOn_EachRolePair_IsExactlyWhatAllowsSays()
    {
        string[][] roleSets = [[], [Roles.User], [Roles.Support], [Roles.Administrator], [Roles.User, Roles.Support], [Roles.Administrator, Roles.Support]];
        foreach (var actor in roleSets)
        {
            foreach (var target in roleSets.Cast<string[]?>().Append(null))
            {
                var expected = Enum.GetValues<StaffAction>().Where(a => StaffPermissions.Allows(actor, a, target)).ToHashSet();
                Assert.True(expected.SetEquals(StaffPermissions.AllowedOn(actor, target)),
                    $"{string.Join("+", actor)} on {(target is null ? "a new user" : string.Join("+", target))}");
            }
        }
        // The page's two questions: support offers its eight actions on a plain user and nothing on staff or a new user.
        Assert.Equal(8, StaffPermissions.AllowedOn([Roles.Support], [Roles.User]).Count);
        Assert.DoesNotContain(StaffAction.EditProfile, StaffPermissions.AllowedOn([Roles.Support], [Roles.User]));
        Assert.Empty(StaffPermissions.AllowedOn([Roles.Support], [Roles.Support]));
        Assert.Empty(StaffPermissions.AllowedOn([Roles.Support], null));
        Assert.Equal(Enum.GetValues<StaffAction>().Length, StaffPermissions.AllowedOn([Roles.Administrator], [Roles.Administrator]).Count);
    }

    [Theory]
    [InlineData(Roles.Administrator, true)]
    [InlineData(Roles.Support, false)]
    [InlineData(Roles.User, false)]
    public async Task CreateUser_OnlyAdministrators(string role, bool allowed)
    {
        var (actor, session) = await ActorAsync(role);

        var (result, id) = await _host.WithAsync<UserAdministrationService, StaffActionResult>(
            s => s.CreateUserAsync(actor.Id, session.SessionId, "newcomer", "newcomer@example.com", "quiet zebra lantern 42", Roles.User));

        Assert.Equal(allowed ? StaffResult.Done : StaffResult.Forbidden, result);
        Assert.Equal(allowed, await _host.FindUserAsync("newcomer") is not null);
        Assert.Equal(allowed, id is not null);
    }

    [Fact]
    public async Task StaffWithout2fa_IsRefused()
    {
        var support = await _host.CreateUserAsync("plain-support", Password, Roles.Support);
        var session = await _host.StoreSessionAsync("plain-support");
        var target = await _host.CreateUserAsync("target", "target password 1");

        Assert.Equal(StaffResult.ActorNeedsTwoFactor, await ActAsync(StaffAction.ForceLogout, support.Id, session.SessionId, target.Id));
    }

    [Fact]
    public async Task StaffWithoutReVerification_IsRefusedAndNothingChanges()
    {
        var support = await _host.CreateUserAsync("support", Password, Roles.Support);
        await EnableAsync(_host, support.Id);
        var session = await _host.StoreSessionAsync("support");
        var target = await _host.CreateUserAsync("target", "target password 1");
        var targetSession = await _host.StoreSessionAsync("target");

        Assert.Equal(StaffResult.ReVerificationRequired, await ActAsync(StaffAction.ForceLogout, support.Id, session.SessionId, target.Id));
        Assert.True(await _host.IsValidAsync(targetSession));
    }

    [Fact]
    public async Task ResetTwoFactorBySupport_SignsTheUserOutAndReturnsToNotEnabled()
    {
        var (support, session) = await ActorAsync(Roles.Support);
        var target = await _host.CreateUserAsync("target", "target password 1");
        await EnableAsync(_host, target.Id);
        var targetSession = await _host.StoreSessionAsync("target");

        var result = await ActAsync(StaffAction.ResetTwoFactor, support.Id, session.SessionId, target.Id);

        Assert.Equal(StaffResult.Done, result);
        Assert.False(await _host.IsValidAsync(targetSession));
        Assert.Equal(TwoFactorState.NotEnabled, (await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(target.Id))).State);
    }

    [Fact]
    public async Task UnknownTargetId_IsRefusedAndAudited()
    {
        var (admin, session) = await ActorAsync(Roles.Administrator);

        var result = await ActAsync(StaffAction.ForceLogout, admin.Id, session.SessionId, "no-such-id");

        Assert.Equal(StaffResult.TargetNotFound, result);
        Assert.Contains(await _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().ToListAsync()),
            e => e.Kind == AuditKinds.StaffRefused && e.Detail.Contains("unknown user id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActingOnOneself_IsRefused()
    {
        var (admin, session) = await ActorAsync(Roles.Administrator);

        Assert.Equal(StaffResult.Forbidden, await ActAsync(StaffAction.ResetTwoFactor, admin.Id, session.SessionId, admin.Id));
    }
}
