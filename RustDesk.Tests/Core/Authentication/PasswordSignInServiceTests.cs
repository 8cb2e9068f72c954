using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Authentication;

public sealed class PasswordSignInServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<PasswordCheckResult> CheckAsync(string? user, string? password) =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, password));

    [Fact]
    public async Task CheckAsync_RightPassword_Succeeds()
    {
        var result = await CheckAsync("admin", CoreHost.AdminPassword);

        Assert.Equal(PasswordCheckStatus.Succeeded, result.Status);
        Assert.Equal("admin", result.User!.UserName);
    }

    [Theory]
    [InlineData("ADMIN")]
    [InlineData("Admin")]
    [InlineData("  admin ")]
    [InlineData("ａｄｍｉｎ")] // full-width letters normalise (NFKC) to the same name
    public async Task CheckAsync_UserNameInAnotherForm_FindsSameUser(string userName)
    {
        var result = await CheckAsync(userName, CoreHost.AdminPassword);

        Assert.Equal(PasswordCheckStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task CheckAsync_UserCreatedWithCapitals_FoundInAnyCase()
    {
        await _host.CreateUserAsync("John.Doe", "correct horse battery");

        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("john.doe", "correct horse battery")).Status);
        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("JOHN.DOE", "correct horse battery")).Status);
    }

    [Fact]
    public async Task CheckAsync_WrongPasswordAndUnknownUser_GiveTheSameAnswer()
    {
        var wrong = await CheckAsync("admin", "not the password");
        var unknown = await CheckAsync("nobody", "not the password");

        Assert.Equal(PasswordCheckStatus.Failed, wrong.Status);
        Assert.Equal(wrong, unknown);
        Assert.Null(unknown.User);
    }

    [Fact]
    public async Task CheckAsync_UnknownUser_CostsTheSameHashWorkAsAWrongPassword()
    {
        // Arrange: count the hasher's work; timing itself is measured in bench/, never asserted here.
        await using var host = await new CoreHost(configure: CountingPasswordHasher.Register).InitializeAsync();
        var hasher = (CountingPasswordHasher)host.Services.GetRequiredService<IPasswordHasher<ConsoleUser>>();
        Task<PasswordCheckResult> Check(string user) =>
            host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, "a wrong password here"));
        await Check("nobody-at-all"); // the process's first unknown name pays for the dummy hash once
        hasher.ResetWork();

        // Act
        await Check("admin");
        var known = hasher.Work;
        await Check("nobody-at-all");
        var unknown = hasher.Work;

        // Assert: each answer costs exactly one verification and no new hash, in every request (scope).
        Assert.Equal((Hashes: 0, Verifications: 1), known);
        Assert.Equal((Hashes: 0, Verifications: 2), unknown);
    }

    [Fact]
    public async Task CheckAsync_TenFailures_LocksOutWithTimeLeft()
    {
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(PasswordCheckStatus.Failed, (await CheckAsync("admin", "wrong " + i)).Status);
        }

        var tenth = await CheckAsync("admin", "wrong again");
        var rightButLocked = await CheckAsync("admin", CoreHost.AdminPassword);

        Assert.Equal(PasswordCheckStatus.LockedOut, tenth.Status);
        Assert.Equal(PasswordCheckStatus.LockedOut, rightButLocked.Status);
        var minutes = await _host.WithAsync<PasswordSignInService, int>(s => Task.FromResult(s.MinutesLeft(rightButLocked.LockedOutUntil)));
        Assert.InRange(minutes, 14, 15);
    }

    [Fact]
    public async Task CheckAsync_AfterLockoutExpires_SignsInAgain()
    {
        for (var i = 0; i < 10; i++)
        {
            await CheckAsync("admin", "wrong " + i);
        }

        _host.Time.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("admin", CoreHost.AdminPassword)).Status);
    }

    [Fact]
    public async Task CheckAsync_DisabledUserWithRightPassword_SaysDisabled()
    {
        var user = await _host.CreateUserAsync("frozen", "frozen password");
        await _host.WithAsync<ConsoleDbContext, int>(db =>
            db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Disabled)));

        Assert.Equal(PasswordCheckStatus.Disabled, (await CheckAsync("frozen", "frozen password")).Status);
        Assert.Equal(PasswordCheckStatus.Failed, (await CheckAsync("frozen", "wrong password")).Status);
    }

    [Theory]
    [InlineData(null, "x")]
    [InlineData("admin", null)]
    [InlineData("", "")]
    [InlineData("admin\u0000", "x")]
    [InlineData("ädmin", "x")]
    public async Task CheckAsync_BadInput_FailsWithoutThrowing(string? user, string? password)
    {
        var result = await CheckAsync(user, password);

        Assert.Equal(PasswordCheckStatus.Failed, result.Status);
    }

    [Fact]
    public async Task CheckAsync_TenThousandCharacterInput_Fails()
    {
        var huge = new string('a', 10_000);

        Assert.Equal(PasswordCheckStatus.Failed, (await CheckAsync(huge, huge)).Status);
        Assert.Equal(PasswordCheckStatus.Failed, (await CheckAsync("admin", huge)).Status);
    }

    [Fact]
    public async Task CheckAsync_HashWithFewerIterations_IsUpgradedAtSignIn()
    {
        // Arrange: store a hash made with the old default of 100,000 iterations.
        var user = await _host.CreateUserAsync("legacy", "legacy password");
        var oldHasher = new PasswordHasher<ConsoleUser>(Microsoft.Extensions.Options.Options.Create(
            new PasswordHasherOptions { IterationCount = 100_000 }));
        var oldHash = oldHasher.HashPassword(user, "legacy password");
        await _host.WithAsync<ConsoleDbContext, int>(db =>
            db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, oldHash)));
        Assert.Equal(100_000, IterationsOf(oldHash));

        // Act
        var result = await CheckAsync("legacy", "legacy password");

        // Assert
        Assert.Equal(PasswordCheckStatus.Succeeded, result.Status);
        var stored = (await _host.FindUserAsync("legacy"))!.PasswordHash!;
        Assert.Equal(210_000, IterationsOf(stored));
        Assert.Equal(2u, PrfOf(stored)); // KeyDerivationPrf.HMACSHA512
    }

    /// <summary>Identity v3 hash layout: 0x01, PRF (uint32 BE), iterations (uint32 BE), salt length, salt, subkey.</summary>
    internal static int IterationsOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
    }

    private static uint PrfOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return (uint)((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]);
    }
}
