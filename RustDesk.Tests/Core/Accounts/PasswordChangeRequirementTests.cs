using System.Text.RegularExpressions;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Recovery;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Accounts;

/// <summary>The first administrator's generated (logged) password must be changed, and only a change clears that.</summary>
public sealed partial class PasswordChangeRequirementTests : IAsyncLifetime
{
    private const string Chosen = "zebra lantern quietly";
    private CoreHost _host = default!;
    private string _adminId = "";
    private string _generated = "";

    public async Task InitializeAsync()
    {
        _host = await new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" }).InitializeAsync();
        _adminId = (await _host.FindUserAsync("admin"))!.Id;
        _generated = GeneratedPassword().Match(_host.Logs.AllText).Groups[1].Value;
        Assert.NotEmpty(_generated);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<bool> MustChangeAsync() =>
        _host.WithAsync<PasswordChangeRequirement, bool>(r => r.MustChangePasswordAsync(_adminId));

    /// <summary>The change from a page of the administrator's own session, as the first-password page makes it.</summary>
    private async Task<SettingsError> ChangeAsync(string current, string password, string? confirm = null)
    {
        var session = await _host.StoreSessionAsync("admin");
        return (await _host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(_adminId, session.SessionId, current, password, confirm ?? password))).Error;
    }

    [Fact]
    public async Task ChangePassword_Succeeds_ClearsTheRequirement()
    {
        Assert.True(await MustChangeAsync());

        Assert.Equal(SettingsError.None, await ChangeAsync(_generated, Chosen));

        Assert.False(await MustChangeAsync());
    }

    [Theory]
    [InlineData("not the generated one", Chosen, null, SettingsError.PasswordWrong)]
    [InlineData(null, "password123", null, SettingsError.PasswordTooWeak)]
    [InlineData(null, Chosen, "something else entirely", SettingsError.PasswordMismatch)]
    [InlineData(null, "short", null, SettingsError.PasswordTooShort)]
    public async Task ChangePassword_Refused_KeepsTheRequirement(string? current, string password, string? confirm, SettingsError expected)
    {
        Assert.Equal(expected, await ChangeAsync(current ?? _generated, password, confirm));

        Assert.True(await MustChangeAsync());
    }

    [Fact]
    public async Task SetPasswordFromCommandLine_OperatorChoseIt_ClearsTheRequirement()
    {
        var result = await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync("admin", Chosen));

        Assert.Equal(RecoveryStatus.Done, result.Status);
        Assert.False(await MustChangeAsync());
    }

    [Fact]
    public async Task MustChangePassword_OtherUsers_AreNotHeld()
    {
        var jane = await _host.CreateUserAsync("jane", Chosen);

        Assert.False(await _host.WithAsync<PasswordChangeRequirement, bool>(r => r.MustChangePasswordAsync(jane.Id)));
        Assert.False(await _host.WithAsync<PasswordChangeRequirement, bool>(r => r.MustChangePasswordAsync("forged-id")));
    }

    [GeneratedRegex(@"generated password (\S+) \.")]
    private static partial Regex GeneratedPassword();
}
