using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Accounts.Settings;

/// <summary>
/// The Basic tab's values: the address's form, another user's address, clearing it, the alarm setting. Proving a new
/// address for email login verification is <c>Core/EmailVerification/AddressProofTests</c>.
/// </summary>
public sealed class BasicSettingsServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private string _adminId = "";
    private StoredSession _session = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _adminId = (await _host.FindUserAsync("admin"))!.Id;
        // The rules under test here are about values; changing an address also needs a re-verified session.
        _session = await _host.VerifiedSessionAsync("admin", CoreHost.AdminPassword);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A save with email login verification left off, as the admin's page sends it.</summary>
    private async Task<AddressChangeStatus> SaveAsync(string? email, bool alarm = false) =>
        (await _host.WithAsync<BasicSettingsService, AddressChangeResult>(
            s => s.SaveAsync(_adminId, _session.SessionId, email, emailVerification: false, alarm))).Status;

    private async Task<BasicSettings> BasicAsync() =>
        (await _host.WithAsync<BasicSettingsService, BasicSettings?>(s => s.GetAsync(_adminId, _session.SessionId)))!;

    [Fact]
    public async Task SaveAsync_ValidEmail_Saves()
    {
        var result = await SaveAsync("admin@example.com", alarm: true);

        Assert.Equal(AddressChangeStatus.Saved, result);
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
    public async Task SaveAsync_InvalidEmail_ReturnsEmailInvalidAndSavesNothing(string email)
    {
        // Arrange: a saved address and alarm off, which the refused update must leave alone.
        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync("before@example.com", alarm: false));

        // Act
        var result = await SaveAsync(email, alarm: true);

        // Assert
        Assert.Equal(AddressChangeStatus.EmailInvalid, result);
        var saved = await BasicAsync();
        Assert.Equal("before@example.com", saved.Email);
        Assert.False(saved.AlarmNotificationEnabled);
    }

    [Theory]
    [InlineData("jane@exa\u200Bmple.com")] // zero-width space
    [InlineData("ja\u200Dne@example.com")] // zero-width joiner
    [InlineData("\u202Ejane@example.com")] // right-to-left override
    [InlineData("\uFEFFjane@example.com")] // byte order mark
    public async Task SaveAsync_InvisibleCharacterInEmail_ReturnsEmailInvalid(string email)
    {
        // An address that looks exactly like another user's must not slip past the "already used" check.
        await _host.CreateUserAsync("jane", "jane's password", email: "jane@example.com");

        var result = await SaveAsync(email);

        Assert.Equal(AddressChangeStatus.EmailInvalid, result);
        Assert.Null((await BasicAsync()).Email);
    }

    [Fact]
    public async Task SaveAsync_254CharacterEmail_Saves()
    {
        var email = new string('a', 64) + "@" + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 57) + ".com";
        Assert.Equal(254, email.Length);

        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync(email));
        Assert.Equal(email, (await BasicAsync()).Email);
    }

    [Fact]
    public async Task SaveAsync_EmailOfAnotherUserInOtherCase_ReturnsEmailTaken()
    {
        await _host.CreateUserAsync("jane", "jane's password", email: "Jane.Doe@Example.com");

        var result = await SaveAsync("jane.doe@EXAMPLE.COM", alarm: true);

        Assert.Equal(AddressChangeStatus.EmailTaken, result);
        var saved = await BasicAsync();
        Assert.Null(saved.Email);
        Assert.False(saved.AlarmNotificationEnabled);
    }

    [Fact]
    public async Task SaveAsync_OwnEmailAgain_Saves()
    {
        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync("admin@example.com"));

        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync("ADMIN@example.com", alarm: true));
        Assert.True((await BasicAsync()).AlarmNotificationEnabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task SaveAsync_ClearedEmail_RemovesAddress(string? cleared)
    {
        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync("admin@example.com"));

        var result = await SaveAsync(cleared);

        Assert.Equal(AddressChangeStatus.Saved, result);
        Assert.Null((await BasicAsync()).Email);
        Assert.Null((await _host.FindUserAsync("admin"))!.NormalizedEmail);
    }

    [Fact]
    public async Task SaveAsync_TwoUsersClearEmail_BothSucceed()
    {
        // The unique index on the normalized address must not count two empty addresses as the same.
        var jane = await _host.CreateUserAsync("jane", "jane's password", email: "jane@example.com");
        Assert.Equal(AddressChangeStatus.Saved, await SaveAsync(null));

        var janeSession = await _host.VerifiedSessionAsync("jane", "jane's password");
        var result = await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(jane.Id, janeSession.SessionId, null, false, false));

        Assert.Equal(AddressChangeStatus.Saved, result.Status);
    }
}
