using System.Net;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/smtp through the real console over HTTP: who gets the page and who is sent away.</summary>
public sealed class SmtpSettingsPageHttpTests : ConsoleHttpTest
{

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        var client = Browser();

        var response = await client.GetAsync("/admin/smtp");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.Support)]
    public async Task Get_SignedInWithoutAdministratorRole_RedirectsToAccessDenied(string role)
    {
        await CreateUserAsync("someone", role);
        var client = await SignedInAsync("someone");

        var response = await client.GetAsync("/admin/smtp");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/access-denied", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Get_Administrator_RendersTheFormAndTheMenuEntry()
    {
        var client = await SignedInAsAdminAsync();

        var response = await client.GetAsync("/admin/smtp");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var id in new[] { "smtp-host", "smtp-port", "smtp-security", "smtp-username", "smtp-password", "smtp-from", "smtp-save",
                     "smtp-test-to", "smtp-test-send", "smtp-last-error", "smtp-status" })
        {
            Assert.Contains($"data-testid=\"{id}\"", html);
        }
        Assert.Contains(Path.Combine(App.DataDirectory, "mail"), html);
    }
}
