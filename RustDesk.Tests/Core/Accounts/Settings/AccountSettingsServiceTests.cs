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
        // The rules under test here are about values; changing an address also needs a re-verified session.
        _session = await _host.VerifiedSessionAsync("admin", CoreHost.AdminPassword);
    }

    private StoredSession _session = default!;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<SettingsError> UpdateBasicAsync(string? email, bool alarm = false) =>
        (await _host.WithAsync<AccountSettingsService, SettingsResult>(s => s.UpdateBasicAsync(_adminId, _session.SessionId, email, alarm))).Error;

    private async Task<SettingsError> ChangePasswordAsync(string? current, string? @new, string? confirm, string? sessionId = null) =>
        (await _host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(_adminId, sessionId ?? _session.SessionId, current, @new, confirm))).Error;

    private async Task<BasicSettings> BasicAsync() =>
        (await _host.WithAsync<AccountSettingsService, BasicSettings?>(s => s.GetBasicAsync(_adminId, _session.SessionId)))!;

    [Fact]
    public async Task UpdateBasicAsync_ValidEmail_Saves()
    {
        var result = await UpdateBasicAsync("admin@example.com", alarm: true);

        Assert.Equal(SettingsError.None, result);
        var saved = await BasicAsync();
        Assert.Equal("admin@example.com", saved.Email);
        Assert.True(saved.AlarmNotificationEnabled);
        Assert.Equal("ADMIN@EXAMPLE.COM", (await _host.FindUserAsync("admin"))!.NormalizedEmail);
    }

    public static TheoryData<string> InvalidEmails() =>
    [
        "admin.example.com",
        "ad min@example.com",
        "admin@exa mple.com",
        new string('a', 243) + "@example.com", // 255 characters
        new string('a', 10_000) + "@example.com",
        "ad\u0001min@example.com",
        "admin@example.com\u0000",
        "a@b",
        "A <a@b.com>",
        "a@b.com, c@d.com",
        "@example.com",
        "admin@",
        "admin@.example.com",
        "admin@example.com.",
    ];

    [Theory]
    [MemberData(nameof(InvalidEmails))]
    public async Task UpdateBasicAsync_InvalidEmail_ReturnsEmailInvalidAndSavesNothing(string email)
    {
        // Arrange: a saved address and alarm off, which the refused update must leave alone.
        Assert.Equal(SettingsError.None, await UpdateBasicAsync("before@example.com", alarm: false));

        // Act
        var result = await UpdateBasicAsync(email, alarm: true);

        // Assert
        Assert.Equal(SettingsError.EmailInvalid, result);
        var saved = await BasicAsync();
        Assert.Equal("before@example.com", saved.Email);
        Assert.False(saved.AlarmNotificationEnabled);
    }

    [Theory]
    [InlineData("jane@exa\u200Bmple.com")] // zero-width space
    [InlineData("ja\u200Dne@example.com")] // zero-width joiner
    [InlineData("\u202Ejane@example.com")] // right-to-left override
    [InlineData("\uFEFFjane@example.com")] // byte order mark
    public async Task UpdateBasicAsync_InvisibleCharacterInEmail_ReturnsEmailInvalid(string email)
    {
        // An address that looks exactly like another user's must not slip past the "already used" check.
        await _host.CreateUserAsync("jane", "jane's password", email: "jane@example.com");

        var result = await UpdateBasicAsync(email);

        Assert.Equal(SettingsError.EmailInvalid, result);
        Assert.Null((await BasicAsync()).Email);
    }

    [Fact]
    public async Task UpdateBasicAsync_254CharacterEmail_Saves()
    {
        var email = new string('a', 64) + "@" + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 57) + ".com";
        Assert.Equal(254, email.Length);

        Assert.Equal(SettingsError.None, await UpdateBasicAsync(email));
        Assert.Equal(email, (await BasicAsync()).Email);
    }

    [Fact]
    public async Task UpdateBasicAsync_EmailOfAnotherUserInOtherCase_ReturnsEmailTaken()
    {
        await _host.CreateUserAsync("jane", "jane's password", email: "Jane.Doe@Example.com");

        var result = await UpdateBasicAsync("jane.doe@EXAMPLE.COM", alarm: true);

        Assert.Equal(SettingsError.EmailTaken, result);
        var saved = await BasicAsync();
        Assert.Null(saved.Email);
        Assert.False(saved.AlarmNotificationEnabled);
    }

    [Fact]
    public async Task UpdateBasicAsync_OwnEmailAgain_Saves()
    {
        Assert.Equal(SettingsError.None, await UpdateBasicAsync("admin@example.com"));

        Assert.Equal(SettingsError.None, await UpdateBasicAsync("ADMIN@example.com", alarm: true));
        Assert.True((await BasicAsync()).AlarmNotificationEnabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task UpdateBasicAsync_ClearedEmail_RemovesAddress(string? cleared)
    {
        Assert.Equal(SettingsError.None, await UpdateBasicAsync("admin@example.com"));

        var result = await UpdateBasicAsync(cleared);

        Assert.Equal(SettingsError.None, result);
        Assert.Null((await BasicAsync()).Email);
        Assert.Null((await _host.FindUserAsync("admin"))!.NormalizedEmail);
    }

    [Fact]
    public async Task UpdateBasicAsync_TwoUsersClearEmail_BothSucceed()
    {
        // The unique index on the normalized address must not count two empty addresses as the same.
        var jane = await _host.CreateUserAsync("jane", "jane's password", email: "jane@example.com");
        Assert.Equal(SettingsError.None, await UpdateBasicAsync(null));

        var janeSession = await _host.VerifiedSessionAsync("jane", "jane's password");
        var result = await _host.WithAsync<AccountSettingsService, SettingsResult>(s => s.UpdateBasicAsync(jane.Id, janeSession.SessionId, null, false));

        Assert.Equal(SettingsError.None, result);
    }

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
