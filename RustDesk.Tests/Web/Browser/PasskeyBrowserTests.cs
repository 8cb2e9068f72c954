using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Passkeys in Debian's Chromium with its virtual authenticator (Chrome DevTools Protocol WebAuthn domain: CTAP2,
/// internal transport, resident keys, user verification). WebAuthn refuses an IP address as relying party, so the
/// console runs on a fixed loopback port browsed as http://localhost:port, with Passkeys:ServerDomain=localhost.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private ICDPSession _cdp = default!;
    private string _authenticatorId = "";

    public override async Task InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://localhost:{port}";
        App = new ConsoleAppFactory(kestrel: true, kestrelPort: port, settings: new Dictionary<string, string?>
        {
            ["Passkeys:ServerDomain"] = "localhost",
            ["Passkeys:Origins:0"] = BaseUrl,
        });
        _ = App.ServerAddress; // starts the server
        (Context, Page) = await NewContextAsync();
        _cdp = await Context.NewCDPSessionAsync(Page);
        await _cdp.SendAsync("WebAuthn.enable");
        var added = await _cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        _authenticatorId = added!.Value.GetProperty("authenticatorId").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Signs admin in with the password and registers a passkey on the Security tab (re-verifying with the password).</summary>
    private async Task RegisterAsync(string name = "Test laptop")
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GotoAsync("/settings/security");
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("passkey-add").ClickAsync();
        await Input(Page, "passkey-name").FillAsync(name);
        await Page.GetByTestId("passkey-save").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Expect(Page.GetByTestId("passkey-row")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("passkey-row-name")).ToHaveTextAsync(name);
    }

    private async Task<JsonElement> CredentialAsync()
    {
        var result = await _cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = _authenticatorId });
        return result!.Value.GetProperty("credentials").EnumerateArray().Single();
    }

    [Fact]
    public async Task Passkey_RegisterSignInAsSecondFactorReVerifyAndRemove()
    {
        await RegisterAsync();
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");
        await ConsolePage.SignOutAsync(Page);

        // Second factor: the password, then "Use a passkey" on /account/login/2fa.
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(url => url.Contains("/account/login/2fa"));
        await Page.GetByTestId("verify-passkey").ClickAsync();
        await WaitForSettingsAsync(Page);

        // Remove: confirm, then re-verify with the passkey in the modal.
        await Page.GotoAsync("/settings/security");
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("passkey-remove").ClickAsync();
        await Page.Locator(".mud-dialog .mud-button-root", new() { HasTextString = "Remove" }).Last.ClickAsync();
        await Page.GetByTestId("reverify-passkey").ClickAsync();
        await Page.GetByTestId("reverify-dialog").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Expect(Page.GetByTestId("passkey-row")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "not-enabled");
    }

    [Fact]
    public async Task Passkey_PasswordlessSignIn_SignsInWithoutPassword()
    {
        await RegisterAsync();
        await ConsolePage.SignOutAsync(Page);

        await Page.GotoAsync("/account/login");
        await Page.GetByTestId("login-passkey").ClickAsync();

        await WaitForSettingsAsync(Page);
        Assert.Contains("/settings", Page.Url);
    }

    [Fact]
    public async Task Passkey_ClonedCredentialWithCounterGoingBack_IsRefused()
    {
        await RegisterAsync();
        await ConsolePage.SignOutAsync(Page);
        var original = await CredentialAsync();
        await Page.GotoAsync("/account/login");
        await Page.GetByTestId("login-passkey").ClickAsync();
        await WaitForSettingsAsync(Page);
        await ConsolePage.SignOutAsync(Page);
        Assert.True((await CredentialAsync()).GetProperty("signCount").GetInt32() > original.GetProperty("signCount").GetInt32());

        // A copy of the key as it was before that sign-in: its counter is behind the server's.
        await _cdp.SendAsync("WebAuthn.removeCredential", new Dictionary<string, object>
        {
            ["authenticatorId"] = _authenticatorId,
            ["credentialId"] = original.GetProperty("credentialId").GetString()!,
        });
        await _cdp.SendAsync("WebAuthn.addCredential", new Dictionary<string, object>
        {
            ["authenticatorId"] = _authenticatorId,
            ["credential"] = new Dictionary<string, object>
            {
                ["credentialId"] = original.GetProperty("credentialId").GetString()!,
                ["isResidentCredential"] = true,
                ["rpId"] = "localhost",
                ["privateKey"] = original.GetProperty("privateKey").GetString()!,
                ["userHandle"] = original.GetProperty("userHandle").GetString()!,
                ["signCount"] = 0,
            },
        });
        await Page.GotoAsync("/account/login");
        await Page.GetByTestId("login-passkey").ClickAsync();

        await Expect(Page.GetByTestId("login-error")).ToBeVisibleAsync();
        Assert.Contains("/account/login", Page.Url);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
