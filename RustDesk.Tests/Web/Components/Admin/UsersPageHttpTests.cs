using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/users through the real console over HTTP: staff get the page, everyone else is sent away.</summary>
public sealed partial class UsersPageHttpTests : IAsyncLifetime
{
    private const string UserPassword = "correct horse battery";
    private readonly ConsoleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        var response = await NewClient().GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Get_PlainUser_RedirectsToAccessDenied()
    {
        await CreateUserAsync("someone", Roles.User);
        var client = NewClient();
        await SignInAsync(client, "someone", UserPassword);

        var response = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/access-denied", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Get_Support_RendersTheGridWithoutCreate()
    {
        await CreateUserAsync("helpdesk", Roles.Support);
        var client = NewClient();
        await SignInAsync(client, "helpdesk", UserPassword);

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
        var client = NewClient();
        await SignInAsync(client, "admin", ConsoleAppFactory.AdminPassword);

        var response = await client.GetAsync("/admin/users");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var id in new[] { "users-grid", "users-search", "users-create" })
        {
            Assert.Contains($"data-testid=\"{id}\"", html);
        }
    }

    private HttpClient NewClient() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task CreateUserAsync(string userName, string role)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, UserPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>Posts the static login form as a browser would (antiforgery token and form name included).</summary>
    private static async Task SignInAsync(HttpClient client, string userName, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token));
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/account/login", response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
