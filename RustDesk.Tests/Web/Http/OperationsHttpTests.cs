using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

public sealed class OperationsHttpTests
{
    [Fact]
    public async Task TwoInstancesOnOneDatabase_ShareTheKeyRingAndTheSessions()
    {
        // Arrange: instance A signs admin in.
        await using var a = new ConsoleAppFactory();
        var cookie = await a.NewClient().SignInAdminAsync();
        await using (var scope = a.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().DataProtectionKeys.AnyAsync());
        }

        // Act: instance B, a separate process in production, on the same database file.
        await using var b = new ConsoleAppFactory(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Console"] = $"Data Source={a.DatabaseFile}",
        });
        var response = await b.NewClient(cookies: false)
            .SendAsync(ConsoleHttp.WithCookie(HttpMethod.Get, "/settings", $"{ConsoleHttp.SessionCookie}={cookie}"));

        // Assert: B decrypts A's cookie and finds the session; the page renders instead of redirecting to sign-in.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_LogsNeitherPasswordNorSessionKey()
    {
        await using var app = new ConsoleAppFactory();
        var client = app.NewClient();

        var cookie = await client.SignInAdminAsync();
        await client.SignInAsync("admin", "a wrong password for the log test");

        var log = app.Logs.AllText;
        Assert.Contains("signed in", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ConsoleAppFactory.AdminPassword, log, StringComparison.Ordinal);
        Assert.DoesNotContain("a wrong password for the log test", log, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, log, StringComparison.Ordinal);
    }
}
