using System.Net;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/audit through the real console over HTTP: who gets the page and who is sent away.</summary>
public sealed class AuditLogPageHttpTests : ConsoleHttpTest
{

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        var client = Browser();

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal("/account/login", response.RedirectTarget(client).AbsolutePath);
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.Support)]
    public async Task Get_SignedInWithoutAdministratorRole_RedirectsToAccessDenied(string role)
    {
        await CreateUserAsync("someone", role);
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("someone", UserPassword)).StatusCode);

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal("/account/access-denied", response.RedirectTarget(client).AbsolutePath);
    }

    [Fact]
    public async Task Get_Administrator_RendersTheGridAndFilters()
    {
        var client = Browser();
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
}
