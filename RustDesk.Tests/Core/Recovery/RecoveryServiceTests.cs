using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Recovery;
using RustDesk.Core.TwoFactor;
using RustDesk.Tests.Core.TwoFactor;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.Recovery;

/// <summary>
/// The command line's way back (<see cref="RecoveryService"/>): each action changes what it names, signs the user out
/// everywhere, and is audited with the actor "command line"; an unknown user changes nothing and is audited too.
/// How the other features honour these actions (the password rules, the lockout, passkeys) is tested with them.
/// </summary>
public sealed class RecoveryServiceTests : IAsyncLifetime
{
    private const string Password = "Tall-Cactus-Mirror-2026";
    private readonly CoreHost _host = new();

    public async Task InitializeAsync() => await _host.InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ResetTwoFactor_UserWithTotp_RemovesItEndsEverySessionAndIsAudited()
    {
        var jane = await _host.CreateUserAsync("jane", Password);
        await TwoFactorTestHelpers.EnableAsync(_host, jane.Id);
        var session = await _host.StoreSessionAsync("jane");

        var result = await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.ResetTwoFactorAsync("jane"));

        Assert.Equal(RecoveryStatus.Done, result.Status);
        Assert.False(await _host.WithAsync<SecondFactorVerifier, bool>(s => s.IsEnabledAsync(jane.Id)));
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.BackupCodes.CountAsync(c => c.UserId == jane.Id)));
        Assert.False(await _host.IsValidAsync(session));
        var reset = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.RecoveryResetTwoFactor);
        Assert.Equal((null, AuditLog.CommandLineActor, jane.Id, "recovery-2fa-removed"), (reset.ActorUserId, reset.ActorName, reset.TargetUserId, reset.DetailKey));
    }

    [Fact]
    public async Task ResetTwoFactor_UserWithout2fa_SaysNothingToDoAndIsAudited()
    {
        var jane = await _host.CreateUserAsync("jane", Password);

        var result = await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.ResetTwoFactorAsync("jane"));

        Assert.Equal(RecoveryStatus.NothingToDo, result.Status);
        var reset = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.RecoveryResetTwoFactor);
        Assert.Equal((jane.Id, "recovery-2fa-was-off"), (reset.TargetUserId, reset.DetailKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nobody")]
    public async Task EveryAction_UnknownUser_ChangesNothingAndIsAuditedAsRefused(string? userName)
    {
        var jane = await _host.CreateUserAsync("jane", Password);
        await TwoFactorTestHelpers.EnableAsync(_host, jane.Id);
        var session = await _host.StoreSessionAsync("jane");

        var results = new[]
        {
            await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.ResetTwoFactorAsync(userName)),
            await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.ResetEmailVerificationAsync(userName)),
            await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync(userName, "a brand new password")),
        };

        Assert.All(results, r => Assert.Equal(RecoveryStatus.UnknownUser, r.Status));
        Assert.True(await _host.WithAsync<SecondFactorVerifier, bool>(s => s.IsEnabledAsync(jane.Id)));
        Assert.True(await _host.IsValidAsync(session));
        var refused = (await AuditAsync(_host.Services)).Where(e => e.Kind == AuditKinds.RecoveryRefused).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Equal(("recovery-unknown-user", AuditLog.CommandLineActor, (string?)null), (e.DetailKey, e.ActorName, e.TargetUserId)));
    }

    [Fact]
    public async Task SetPassword_GoodPassword_EndsEverySessionAndIsAudited()
    {
        var jane = await _host.CreateUserAsync("jane", Password);
        var first = await _host.StoreSessionAsync("jane");
        var second = await _host.StoreSessionAsync("jane", persistent: true);

        var result = await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync("jane", "a brand new password"));

        Assert.Equal(RecoveryStatus.Done, result.Status);
        Assert.False(await _host.IsValidAsync(first));
        Assert.False(await _host.IsValidAsync(second));
        var set = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.RecoverySetPassword);
        Assert.Equal((AuditLog.CommandLineActor, jane.Id, "recovery-password-set"), (set.ActorName, set.TargetUserId, set.DetailKey));
    }

    [Fact]
    public async Task ListUsers_TellsTwoFactorAndRolesAndIsAudited()
    {
        var jane = await _host.CreateUserAsync("jane", Password, RustDesk.Core.Accounts.Roles.Support);
        await _host.CreateUserAsync("zoe", Password);
        await TwoFactorTestHelpers.EnableAsync(_host, jane.Id);

        var users = await _host.WithAsync<RecoveryService, IReadOnlyList<UserListEntry>>(s => s.ListUsersAsync());

        var listed = users.Where(u => u.UserName is "jane" or "zoe").ToList();
        Assert.Equal([("jane", true, "Support"), ("zoe", false, "User")], listed.Select(u => (u.UserName, u.TwoFactor, u.Roles)));
        var audit = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.RecoveryListUsers);
        Assert.Equal(("recovery-users-listed", users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (audit.DetailKey, Assert.Single(audit.DetailArguments())));
    }
}
