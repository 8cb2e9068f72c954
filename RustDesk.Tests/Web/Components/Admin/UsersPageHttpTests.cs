using System.Net;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/users through the real console over HTTP: staff get the page, everyone else is sent away.</summary>
public sealed class UsersPageHttpTests : ConsoleHttpTest
{

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        var response = await Browser().GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Get_PlainUser_RedirectsToAccessDenied()
    {
        await CreateUserAsync("someone", Roles.User);
        var client = await SignedInAsync("someone");

        var response = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/access-denied", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Get_Support_RendersTheGridWithoutCreate()
    {
        await CreateUserAsync("helpdesk", Roles.Support);
        var client = await SignedInAsync("helpdesk");

        var response = await client.GetAsync("/admin/users");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"users-grid\"", html);
        Assert.Contains("data-testid=\"users-search\"", html);
        Assert.DoesNotContain("data-testid=\"users-create\"", html);
    }

    [Fact]
    public async Task Get_Administrator_RendersTheGridCreateAndTheMenuEntry()
    {
        var client = await SignedInAsAdminAsync();

        var response = await client.GetAsync("/admin/users");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var id in new[] { "users-grid", "users-search", "users-create" })
        {
            Assert.Contains($"data-testid=\"{id}\"", html);
        }
    }
}
