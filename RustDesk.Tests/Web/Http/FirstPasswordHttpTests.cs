using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>The administrator created with a generated (logged) password reaches nothing but the change-password page.</summary>
public sealed partial class FirstPasswordHttpTests
{
    private const string ChangePasswordPath = "/account/change-password";

    public static TheoryData<string> Pages => ["/", "/settings", "/settings/security", "/settings/devices", "/admin/users", "/admin/audit", "/admin/smtp", "/enrol-2fa"];

    private static ConsoleAppFactory GeneratedPasswordApp() =>
        new(settings: new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" });

    private static async Task<(HttpClient Client, string Password)> SignInWithGeneratedPasswordAsync(ConsoleAppFactory app)
    {
        var client = app.NewClient();
        _ = app.Services; // starts the app, which creates admin and logs the password
        var password = GeneratedPassword().Match(app.Logs.AllText).Groups[1].Value;
        Assert.NotEmpty(password);
        var response = await client.SignInAsync("admin", password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, password);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task GetPage_GeneratedPasswordNotChanged_RedirectsToChangePassword(string path)
    {
        using var app = GeneratedPasswordApp();
        var (client, _) = await SignInWithGeneratedPasswordAsync(app);

        var response = await client.GetAsync(path);

        Assert.Equal(ChangePasswordPath, response.RedirectTarget(client).AbsolutePath);
    }

    [Fact]
    public async Task GetChangePassword_GeneratedPassword_ShowsTheFormWithAStrengthMeter()
    {
        using var app = GeneratedPasswordApp();
        var (client, _) = await SignInWithGeneratedPasswordAsync(app);

        var response = await client.GetAsync(ChangePasswordPath);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"first-password-page\"", body, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"password-strength\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSettings_AfterThePasswordWasChanged_OpensNormally()
    {
        using var app = GeneratedPasswordApp();
        var (client, password) = await SignInWithGeneratedPasswordAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            var adminId = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
            var sessionId = await db.Sessions.Where(s => s.UserId == adminId).Select(s => s.Id).SingleAsync();
            var result = await scope.ServiceProvider.GetRequiredService<AccountSettingsService>()
                .ChangePasswordAsync(adminId, sessionId, password, "zebra lantern quietly", "zebra lantern quietly");
            Assert.Equal(SettingsError.None, result);
        }
        var signedIn = await client.SignInAsync("admin", "zebra lantern quietly");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var response = await client.GetAsync("/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetSettings_ConfiguredBootstrapPassword_IsNotHeld()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.NewClient();
        await client.SignInAdminAsync();

        var settings = await client.GetAsync("/settings");
        var changePage = await client.GetAsync(ChangePasswordPath);

        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        // Nothing to change: the page sends the user to the Security tab.
        Assert.Equal("/settings/security", changePage.RedirectTarget(client).AbsolutePath);
    }

    [GeneratedRegex(@"generated password (\S+) \.")]
    private static partial Regex GeneratedPassword();
}
