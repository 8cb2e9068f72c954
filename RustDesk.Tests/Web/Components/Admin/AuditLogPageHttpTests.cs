using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/audit through the real console over HTTP: who gets the page and who is sent away.</summary>
public sealed class AuditLogPageHttpTests : IAsyncLifetime
{
    private const string UserPassword = "correct horse battery";
    private readonly ConsoleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        var client = _app.NewClient();

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal("/account/login", response.RedirectTarget(client).AbsolutePath);
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.Support)]
    public async Task Get_SignedInWithoutAdministratorRole_RedirectsToAccessDenied(string role)
    {
        await CreateUserAsync("someone", role);
        var client = _app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("someone", UserPassword)).StatusCode);

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal("/account/access-denied", response.RedirectTarget(client).AbsolutePath);
    }

    [Fact]
    public async Task Get_Administrator_RendersTheGridAndFilters()
    {
        var client = _app.NewClient();
        await client.SignInAdminAsync();

        var response = await client.GetAsync("/admin/audit");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var id in new[] { "audit-grid", "audit-filter-kind", "audit-filter-text" })
        {
            Assert.Contains($"data-testid=\"{id}\"", html);
        }
        ConsoleHttp.AssertNoStackTrace(html);
    }

    private async Task CreateUserAsync(string userName, string role)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, UserPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }
}
