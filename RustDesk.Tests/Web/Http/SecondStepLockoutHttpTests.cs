using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// The second sign-in steps over HTTP, as an attacker who has the password would use them: wrong codes in the right
/// format lock the account, a locked account is refused even with the right code, off-site return URLs stay on the site,
/// and a thousand wrong codes change nothing and never get a 500.
/// </summary>
public sealed class SecondStepLockoutHttpTests : ConsoleHttpTest
{
    private const string TotpPath = "/account/login/2fa";
    private const string EmailPath = "/account/login/email";
    private const string Address = "admin@example.com";

    // More wrong entries per emailed code than the lockout allows, so that the account's budget is what stops them.
    protected override ConsoleAppFactory CreateApp() => new(settings: new Dictionary<string, string?> { ["EmailVerification:MaxAttempts"] = "20" });
    private ConsoleUser _admin = default!;

    protected override async Task ArrangeAsync()
    {
        _admin = await UserAsync(App.Services, "admin");
    }

    private string MailFolder => Path.Combine(App.DataDirectory, "mail");

    private async Task<byte[]> EnableTotpAsync() => (await SeedTotpAsync(App.Services, _admin.Id)).Key;

    private async Task EnableEmailVerificationAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Users.Where(u => u.Id == _admin.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, Address).SetProperty(u => u.EmailLoginVerification, true));
    }

    /// <summary>The password step in a fresh browser; returns it at the second step with that page's antiforgery token.</summary>
    private async Task<(HttpClient Client, string Token)> AtSecondStepAsync(string path, string? returnUrl = null)
    {
        var client = Browser();
        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword, returnUrl: returnUrl);
        Assert.StartsWith(path, response.RedirectTarget(client).PathAndQuery);
        return (client, await client.GetAntiforgeryTokenAsync(path));
    }

    private static Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string path, string token, string code)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = path == TotpPath ? "login-2fa" : "login-email",
            [ConsoleHttp.TokenField] = token,
            ["Input.Code"] = code,
        };
        if (path == EmailPath)
        {
            fields["Input.Action"] = "verify";
        }
        return client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static string ErrorId(string path) => path == TotpPath ? "verify-error" : "email-code-error";

    /// <summary>The code of the newest sign-in mail in the pickup folder, once there are more than <paramref name="previous"/>.</summary>
    private async Task<string> EmailedCodeAsync(int previous = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var files = Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder, "*.eml") : [];
            if (files.Length > previous)
            {
                var newest = files.OrderBy(f => new FileInfo(f).LastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).Last();
                var message = await MimeMessage.LoadAsync(newest);
                return Regex.Match(message.TextBody ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])").Value;
            }
            Assert.True(DateTime.UtcNow < deadline, "no sign-in code in the pickup folder");
            await Task.Delay(50);
        }
    }

    private async Task<string> WrongCodeAsync(string path, byte[]? key) =>
        path == TotpPath ? WrongTotpCode(key!, DateTimeOffset.UtcNow) : (await EmailedCodeAsync()) == "000000" ? "111111" : "000000";

    private async Task<byte[]?> EnableAsync(string path)
    {
        if (path == TotpPath)
        {
            return await EnableTotpAsync();
        }
        await EnableEmailVerificationAsync();
        return null;
    }

    private async Task<ConsoleUser> AdminNowAsync() => await UserAsync(App.Services, "admin");

    [Theory]
    [InlineData(TotpPath)]
    [InlineData(EmailPath)]
    public async Task SecondStep_WrongCodesInTheRightFormat_LockTheAccount(string path)
    {
        var key = await EnableAsync(path);
        var (client, token) = await AtSecondStepAsync(path);
        var wrong = await WrongCodeAsync(path, key);

        var errors = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            var response = await PostCodeAsync(client, path, token, wrong);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
            errors.Add(await ConsoleHttp.TextOfAsync(response, ErrorId(path)));
        }
        var password = await Browser().SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.All(errors.Take(9), e => Assert.Equal("The verification code is incorrect or has expired.", e));
        Assert.StartsWith("Too many failed attempts", errors[9]);
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(password, "login-error"));
        Assert.Equal(10, (await AdminNowAsync()).ConsecutiveFailures);
    }

    [Theory]
    [InlineData(TotpPath)]
    [InlineData(EmailPath)]
    public async Task SecondStep_AccountLockedAfterThePasswordStep_RefusesTheRightCode(string path)
    {
        var key = await EnableAsync(path);
        var (client, token) = await AtSecondStepAsync(path);
        var right = path == TotpPath ? TotpCode(key!, DateTimeOffset.UtcNow) : await EmailedCodeAsync();
        var attacker = Browser();
        for (var i = 0; i < 10; i++)
        {
            await attacker.SignInAsync("admin", "wrong password " + i);
        }

        var response = await PostCodeAsync(client, path, token, right);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(response, ErrorId(path)));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        Assert.False(await db.Sessions.AnyAsync());
        Assert.False(await db.PendingSignIns.AnyAsync());
    }

    public static TheoryData<string> OffSiteReturnUrls() =>
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example",
        "http:evil.example",
        "%2F%2Fevil.example",
        "%2f%5cevil.example",
        " //evil.example",
        "/\t/evil.example",
        "//evil.example/%2e%2e",
        "javascript:alert(1)",
    ];

    [Theory]
    [MemberData(nameof(OffSiteReturnUrls))]
    public async Task TotpStep_OffSiteReturnUrl_RedirectsOnTheSite(string returnUrl)
    {
        var key = await EnableTotpAsync();
        var (client, token) = await AtSecondStepAsync(TotpPath);

        // The attacker's link goes straight to the second step, past the password page's own check.
        var response = await client.PostAsync(TotpPath + "?returnUrl=" + Uri.EscapeDataString(returnUrl), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["_handler"] = "login-2fa",
                [ConsoleHttp.TokenField] = token,
                ["Input.Code"] = TotpCode(key, DateTimeOffset.UtcNow),
            }));

        AssertStaysOnSite(response, client);
    }

    [Theory]
    [MemberData(nameof(OffSiteReturnUrls))]
    public async Task EmailStep_OffSiteReturnUrl_RedirectsOnTheSite(string returnUrl)
    {
        await EnableEmailVerificationAsync();
        var (client, token) = await AtSecondStepAsync(EmailPath);

        var response = await client.PostAsync(EmailPath + "?returnUrl=" + Uri.EscapeDataString(returnUrl), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["_handler"] = "login-email",
                [ConsoleHttp.TokenField] = token,
                ["Input.Code"] = await EmailedCodeAsync(),
                ["Input.Action"] = "verify",
            }));

        AssertStaysOnSite(response, client);
    }

    [Theory]
    [InlineData(TotpPath)]
    [InlineData(EmailPath)]
    public async Task SecondStep_LocalReturnUrlThroughThePasswordStep_IsKept(string path)
    {
        var key = await EnableAsync(path);
        var (client, token) = await AtSecondStepAsync(path, returnUrl: "/settings/security");

        var response = await client.PostAsync(path + "?returnUrl=%2Fsettings%2Fsecurity", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["_handler"] = path == TotpPath ? "login-2fa" : "login-email",
                [ConsoleHttp.TokenField] = token,
                ["Input.Code"] = path == TotpPath ? TotpCode(key!, DateTimeOffset.UtcNow) : await EmailedCodeAsync(),
                ["Input.Action"] = "verify",
            }));

        Assert.Equal("/settings/security", response.RedirectTarget(client).PathAndQuery);
    }

    [Theory]
    [InlineData(TotpPath)]
    [InlineData(EmailPath)]
    public async Task SecondStep_AThousandWrongCodes_AreRefusedCountedAndChangeNothing(string path)
    {
        var key = await EnableAsync(path);
        var (client, token) = await AtSecondStepAsync(path);
        var wrong = await WrongCodeAsync(path, key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 1000; i++)
        {
            // Six digits, and for the TOTP step every other one in the ten-digit backup-code format.
            var code = path == TotpPath && i % 2 == 1 ? "00000" + wrong[..5] : wrong;
            var response = await PostCodeAsync(client, path, token, code);
            statuses.Add(response.StatusCode);
            Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
            if (i % 100 == 0)
            {
                ConsoleHttp.AssertNoStackTrace(await response.Content.ReadAsStringAsync());
            }
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var admin = await AdminNowAsync();
        Assert.Equal(10, admin.ConsecutiveFailures);
        Assert.True(admin.LockedOutUntil > DateTime.UtcNow);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        Assert.False(await db.Sessions.AnyAsync());
        Assert.False(await db.PendingSignIns.AnyAsync());
        Assert.Equal(10, await db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.SignInFailed || e.Kind == AuditKinds.SignInLockedOut));
        if (path == TotpPath)
        {
            Assert.Equal(0, (await db.TotpAuthenticators.SingleAsync()).LastAcceptedStep);
            Assert.False(await db.BackupCodes.AnyAsync(c => c.UsedAt != null));
        }
    }

    private static void AssertStaysOnSite(HttpResponseMessage response, HttpClient client)
    {
        // Signed in, and sent to this site (an absolute address of this site, or a path that is not "//host" or "/\host").
        Assert.NotNull(response.SetCookie(ConsoleHttp.SessionCookie));
        var location = response.Headers.Location!;
        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
        if (!location.IsAbsoluteUri)
        {
            Assert.Matches(@"^/(?![/\\])", location.OriginalString);
        }
        Assert.Equal("/", target.AbsolutePath);
    }
}
