using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Accounts.Settings;

public sealed class AccountSettingsServiceTests : IAsyncLifetime
{
    private const string NewPassword = "a new password 2";
    private CoreHost _host = default!;
    private string _adminId = "";

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _adminId = (await _host.FindUserAsync("admin"))!.Id;
        // A re-verified session, so the rules under test here are about values only.
        _session = await _host.VerifiedSessionAsync("admin", CoreHost.AdminPassword);
    }

    private StoredSession _session = default!;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<SettingsError> ChangePasswordAsync(string? current, string? @new, string? confirm, string? sessionId = null) =>
        (await _host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(_adminId, sessionId ?? _session.SessionId, current, @new, confirm))).Error;

    [Fact]
    public async Task ChangePasswordAsync_WrongCurrent_ReturnsPasswordWrongAndKeepsHash()
    {
        var before = (await _host.FindUserAsync("admin"))!.PasswordHash;

        var result = await ChangePasswordAsync("not the password", NewPassword, NewPassword);

        Assert.Equal(SettingsError.PasswordWrong, result);
        Assert.Equal(before, (await _host.FindUserAsync("admin"))!.PasswordHash);
    }

    [Theory]
    [InlineData("1234567", SettingsError.PasswordTooShort)]
    [InlineData("", SettingsError.PasswordEmpty)]
    [InlineData("eight\u0000ch", SettingsError.PasswordControlCharacters)]
    public async Task ChangePasswordAsync_RefusedNewPassword_ReturnsReasonAndKeepsHash(string newPassword, SettingsError expected)
    {
        var before = (await _host.FindUserAsync("admin"))!.PasswordHash;

        var result = await ChangePasswordAsync(CoreHost.AdminPassword, newPassword, newPassword);

        Assert.Equal(expected, result);
        Assert.Equal(before, (await _host.FindUserAsync("admin"))!.PasswordHash);
    }

    [Fact]
    public async Task ChangePasswordAsync_129Characters_ReturnsTooLong()
    {
        var tooLong = new string('x', 129);

        Assert.Equal(SettingsError.PasswordTooLong, await ChangePasswordAsync(CoreHost.AdminPassword, tooLong, tooLong));
    }

    [Fact]
    public async Task ChangePasswordAsync_128Characters_Accepted()
    {
        var longest = string.Concat(Enumerable.Repeat("Zq9#kW!x", 16));

        Assert.Equal(SettingsError.None, await ChangePasswordAsync(CoreHost.AdminPassword, longest, longest));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(longest));
    }

    [Fact]
    public async Task ChangePasswordAsync_128MultiByteCharacters_AcceptedAndSignsIn()
    {
        var umlauts = string.Concat(Enumerable.Repeat("Grüße aus Köln ", 9))[..128]; // more UTF-8 bytes, but 128 characters

        var result = await ChangePasswordAsync(CoreHost.AdminPassword, umlauts, umlauts);

        Assert.Equal(SettingsError.None, result);
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(umlauts));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync(CoreHost.AdminPassword));
    }

    [Fact]
    public async Task ChangePasswordAsync_Mismatch_ReturnsPasswordMismatchAndKeepsHash()
    {
        var before = (await _host.FindUserAsync("admin"))!.PasswordHash;

        var result = await ChangePasswordAsync(CoreHost.AdminPassword, NewPassword, NewPassword + "x");

        Assert.Equal(SettingsError.PasswordMismatch, result);
        Assert.Equal(before, (await _host.FindUserAsync("admin"))!.PasswordHash);
    }

    [Fact]
    public async Task ChangePasswordAsync_Valid_NewPasswordSignsInAndOldDoesNot()
    {
        var result = await ChangePasswordAsync(CoreHost.AdminPassword, NewPassword, NewPassword);

        Assert.Equal(SettingsError.None, result);
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(NewPassword));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync(CoreHost.AdminPassword));
    }

    [Fact]
    public async Task ChangePasswordAsync_FromOneSession_EndsOtherSessionsAndKeepsCurrent()
    {
        // Arrange: admin signed in on two devices, and jane on one.
        var current = await _host.StoreSessionAsync("admin");
        var other = await _host.StoreSessionAsync("admin", persistent: true);
        await _host.CreateUserAsync("jane", "jane's password");
        var janes = await _host.StoreSessionAsync("jane");

        // Act
        var result = await ChangePasswordAsync(CoreHost.AdminPassword, NewPassword, NewPassword, current.SessionId);

        // Assert
        Assert.Equal(SettingsError.None, result);
        Assert.NotNull(await _host.RetrieveAsync(current));
        Assert.True(await _host.IsValidAsync(current));
        Assert.Null(await _host.RetrieveAsync(other));
        Assert.False(await _host.IsValidAsync(other));
        Assert.NotNull(await _host.RetrieveAsync(janes));
    }

    [Fact]
    public async Task ChangePasswordAsync_WrongCurrent_EndsNoSession()
    {
        var current = await _host.StoreSessionAsync("admin");
        var other = await _host.StoreSessionAsync("admin");

        await ChangePasswordAsync("not the password", NewPassword, NewPassword, current.SessionId);

        Assert.True(await _host.IsValidAsync(current));
        Assert.True(await _host.IsValidAsync(other));
    }

    private async Task<PasswordCheckStatus> CheckAsync(string password) =>
        (await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", password))).Status;

    [Fact]
    public async Task ChangePasswordAsync_KeepingOtherDevices_LeavesThemSignedIn()
    {
        var other = await _host.StoreSessionAsync("admin");

        var result = await _host.WithAsync<AccountSettingsService, SettingsResult>(s => s.ChangePasswordAsync(
            _adminId, _session.SessionId, CoreHost.AdminPassword, "kept devices zebra lantern", "kept devices zebra lantern", signOutOtherDevices: false));

        Assert.Equal(SettingsError.None, result);
        Assert.True(await _host.IsValidAsync(other));
        Assert.True(await _host.IsValidAsync(_session));
    }
}
