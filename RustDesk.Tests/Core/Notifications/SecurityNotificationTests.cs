using Microsoft.EntityFrameworkCore;
using MimeKit;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Authentication;
using RustDesk.Core.Notifications;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Notifications;

/// <summary>Security notifications go through the outbox and MailKit to a real SMTP listener.</summary>
public sealed class SecurityNotificationTests : IAsyncLifetime
{
    private const string Address = "sam@example.com";
    private const string Password = "sam's long password";
    private EmailTestHost _env = default!;
    private ConsoleUser _user = default!;

    public async Task InitializeAsync()
    {
        _env = await EmailTestHost.StartAsync();
        _user = await _env.Host.CreateUserAsync("sam", Password, email: Address);
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private CoreHost Host => _env.Host;

    private async Task<MimeMessage> NextMailAsync(string subjectPart)
    {
        await _env.DeliverAsync();
        return await _env.Smtp.WaitForMessageAsync(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal)
            && m.To.Mailboxes.Any(b => b.Address == Address));
    }

    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

    /// <summary>A session of sam's signed in from <paramref name="ipAddress"/> with Firefox, as the sign-in would store it.</summary>
    private async Task<StoredSession> SessionFromAsync(StoredSession session, string ipAddress)
    {
        var updated = await Host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == session.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IpAddress, ipAddress).SetProperty(s => s.UserAgent, Firefox)));
        Assert.Equal(1, updated);
        return session;
    }

    /// <summary>The mail names the IP address and the browser the change came from, not "unknown".</summary>
    private static void AssertOrigin(MimeMessage mail, string ipAddress)
    {
        Assert.Contains("IP address " + ipAddress, mail.TextBody);
        Assert.Contains("Firefox", mail.TextBody);
        Assert.DoesNotContain("unknown", mail.TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EnablingAndRenewingAndDisabling2fa_EachSendsANotification()
    {
        var session = await SessionFromAsync(await Host.StoreSessionAsync("sam"), "198.51.100.31");
        await EnableAsync(Host, _user.Id, session.SessionId);
        var enabled = await NextMailAsync("enabled");
        var (key, codes) = await EnableAsync(Host, _user.Id, session.SessionId);
        var renewed = await NextMailAsync("renewed");

        var verified = await SessionFromAsync(await Host.VerifiedSessionAsync("sam", CodeAt(key, Host)), "198.51.100.32");
        var disabled = await Host.WithAsync<TwoFactorService, SecondFactorResult>(s => s.DisableAsync(_user.Id, verified.SessionId, codes[0]));
        var off = await NextMailAsync("disabled");

        Assert.Contains("If this was not you", enabled.TextBody);
        Assert.Contains("UTC", enabled.TextBody);
        AssertOrigin(enabled, "198.51.100.31");
        Assert.Contains("new authenticator key", renewed.TextBody);
        AssertOrigin(renewed, "198.51.100.31");
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, disabled);
        Assert.Contains("turned off", off.TextBody);
        AssertOrigin(off, "198.51.100.32");
    }

    [Fact]
    public async Task BackupCodeUsed_SaysHowManyRemainAndWhereFrom()
    {
        var (_, codes) = await EnableAsync(Host, _user.Id);

        await Host.WithAsync<SecondFactorVerifier, SecondFactorResult>(
            s => s.VerifyAsync(_user.Id, codes[0], new EventOrigin("198.51.100.33", Firefox)));
        var mail = await NextMailAsync("backup code was used");

        Assert.Contains("5 unused", mail.TextBody);
        AssertOrigin(mail, "198.51.100.33");
    }

    [Fact]
    public async Task ReplayedTotpCodeAtSignIn_IsReportedWithWhereItCameFrom()
    {
        var (key, _) = await EnableAsync(Host, _user.Id);
        var code = CodeAt(key, Host);
        await Host.WithAsync<SecondFactorVerifier, SecondFactorResult>(s => s.VerifyAsync(_user.Id, code));
        // As the password step loads it: enabling 2FA changed the security stamp the pending sign-in is bound to.
        var user = (await Host.FindUserAsync(_user.UserName!))!;
        var start = await Host.WithAsync<SecondFactorSignInService, SignInStart>(
            s => s.StartAsync(user, false, "198.51.100.23", "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0"));

        var replay = await Host.WithAsync<SecondFactorSignInService, SecondStepResult>(s => s.VerifyAsync(start.PendingKey, code));
        var mail = await NextMailAsync("reused");

        Assert.Equal(SecondStepStatus.Wrong, replay.Status);
        Assert.Contains("198.51.100.23", mail.TextBody);
        Assert.Contains("Firefox", mail.TextBody);
    }

    [Fact]
    public async Task PasswordChanged_IsReported()
    {
        var session = await SessionFromAsync(await Host.StoreSessionAsync("sam"), "198.51.100.34");

        var result = await Host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(_user.Id, session.SessionId, Password, "a brand new password", "a brand new password"));
        var mail = await NextMailAsync("password was changed");

        Assert.Equal(SettingsError.None, result);
        Assert.NotNull(mail.HtmlBody);
        AssertOrigin(mail, "198.51.100.34");
    }

    [Fact]
    public async Task NewDevice_IsReportedOnceAndAnotherDeviceAgain()
    {
        const string chrome = "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0";

        var first = await Host.WithAsync<KnownDeviceService, bool>(s => s.RecordSignInAsync(_user.Id, "203.0.113.1", chrome));
        var again = await Host.WithAsync<KnownDeviceService, bool>(s => s.RecordSignInAsync(_user.Id, "203.0.113.2", chrome));
        var other = await Host.WithAsync<KnownDeviceService, bool>(s => s.RecordSignInAsync(_user.Id, "203.0.113.3", "Mozilla/5.0 (iPhone) Safari/604.1"));
        await _env.DeliverAsync();

        Assert.True(first);
        Assert.False(again);
        Assert.True(other);
        Assert.Equal(2, _env.Smtp.Messages.Count(m => (m.Subject ?? "").Contains("new device", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UserWhoChoseGerman_GetsGermanNotifications()
    {
        var hans = await Host.CreateUserAsync("hans", "hans password 1", email: "hans@example.com");
        await Host.WithAsync<RustDesk.Core.Accounts.Settings.AccountSettingsService, bool>(async s => { await s.SetPreferredCultureAsync(hans.Id, "de"); return true; });

        await EnableAsync(Host, hans.Id);
        await _env.DeliverAsync();
        var mail = await _env.Smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == "hans@example.com"));

        Assert.Equal("Zwei-Faktor-Authentifizierung wurde aktiviert", mail.Subject);
        Assert.Contains("Wenn Sie das nicht waren", mail.TextBody);
    }

    [Fact]
    public async Task UserWithoutAddress_GetsNoMailAndTheChangeStillHappens()
    {
        var quiet = await Host.CreateUserAsync("quiet", "quiet password 1");

        await EnableAsync(Host, quiet.Id);
        await _env.DeliverAsync();

        Assert.Empty(_env.Smtp.Messages);
        Assert.Equal(TwoFactorState.Enabled, (await Host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(quiet.Id))).State);
    }
}
