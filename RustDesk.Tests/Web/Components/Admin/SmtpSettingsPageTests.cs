using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Components.Settings;
using RustDesk.Web.Components.Admin;
using RustDesk.Web.Resources;

namespace RustDesk.Tests.Web.Components.Admin;

public sealed class SmtpSettingsPageTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private CoreHost _host = default!;
    private string _adminId = "";
    private string _adminSession = "";

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _adminId = (await _host.FindUserAsync(DatabaseInitializer.AdminUserName))!.Id;
        _adminSession = await _host.SessionIdOfAsync(_adminId);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public void Render_Administrator_ShowsConfigurationAndThePickupFolder()
    {
        using var culture = Setup();
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains(Path.Combine(_host.DataDirectory, "mail"), cut.Find("[data-testid='smtp-status']").TextContent));
        Assert.Equal("RustDesk Console <console@localhost>", Input(cut, "smtp-from").GetAttribute("value"));
        Assert.Equal("587", Input(cut, "smtp-port").GetAttribute("value"));
        Assert.Equal(Text("Smtp.PasswordNotSet"), Input(cut, "smtp-password").GetAttribute("placeholder"));
        Assert.Equal("none", cut.Find("[data-testid='smtp-last-error']").GetAttribute("data-state"));
    }

    [Fact]
    public async Task Save_PortOutOfRange_ShowsTheErrorUnderThePortAndSavesNothing()
    {
        using var culture = Setup();
        var cut = RenderPage();
        cut.WaitForElement("[data-testid='smtp-save']");

        Input(cut, "smtp-host").Change("smtp.example.com");
        Input(cut, "smtp-port").Change("70000");
        cut.Find("[data-testid='smtp-save']").Click();

        cut.WaitForAssertion(() => Assert.Equal(Text("Smtp.Error.PortOutOfRange"), Input(cut, "smtp-port").FieldError()));
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.SmtpSettings.CountAsync()));
    }

    [Fact]
    public async Task Save_ValidSettings_SavesThemAndShowsTheSmtpServer()
    {
        using var culture = Setup();
        var cut = RenderPage();
        cut.WaitForElement("[data-testid='smtp-save']");

        Input(cut, "smtp-host").Change("mail.example.com");
        Input(cut, "smtp-port").Change("2525");
        Input(cut, "smtp-password").Change("new-secret");
        cut.Find("[data-testid='smtp-save']").Click();

        cut.WaitForAssertion(() => Assert.Contains("mail.example.com", cut.Find("[data-testid='smtp-status']").TextContent));
        var effective = await _host.WithAsync<SmtpSettingsService, EffectiveSmtpSettings>(s => s.GetEffectiveAsync());
        Assert.Equal(("mail.example.com", 2525, "new-secret"), (effective.Host, effective.Port, effective.Password));
        // Never shown back: the field is empty again and says a password is set.
        cut.WaitForAssertion(() => Assert.Equal(Text("Smtp.PasswordSet"), Input(cut, "smtp-password").GetAttribute("placeholder")));
        Assert.DoesNotContain("new-secret", cut.Markup);
    }

    [Fact]
    public async Task Render_AfterAFailedDelivery_ShowsTheLastError()
    {
        using var culture = Setup();
        // Nothing listens on port 1 of the loopback address: the attempt fails at once.
        await _host.WithAsync<SmtpSettingsService, SmtpSaveResult>(s => s.SaveAsync(_adminId, _adminSession,
            new SmtpSettingsInput { Host = "127.0.0.1", Port = 1, Security = SmtpSecurity.None, From = "c@example.com" }));
        await _host.WithAsync<SmtpSettingsService, SmtpTestResult>(s => s.SendTestAsync(_adminId, _adminSession, "ops@example.com"));
        await _host.Services.GetRequiredService<OutboxWorker>().ProcessDueAsync();

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("error", cut.Find("[data-testid='smtp-last-error']").GetAttribute("data-state")));
        // The time of the failure, in the console's one format (UTC: bUnit has no browser to name a zone).
        var failedAt = RustDesk.Web.Components.Shared.LocalTimeFormat.DateTime(_host.Time.GetUtcNow().UtcDateTime, TimeZoneInfo.Utc,
            System.Globalization.CultureInfo.CurrentCulture);
        Assert.Contains(failedAt + ", message", cut.Find("[data-testid='smtp-last-error']").TextContent);
    }

    /// <summary>Signed in as the administrator; the authorization services go in before the console's test services lock the container.</summary>
    private CultureScope Setup()
    {
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetRoles(RustDesk.Core.Accounts.Roles.Administrator);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _adminId), new Claim(RustDesk.Core.Sessions.SessionClaims.SessionId, _adminSession));
        return _ctx.AddConsoleTestServices(_host);
    }

    private IRenderedComponent<SmtpSettingsPage> RenderPage() => _ctx.Render<SmtpSettingsPage>();

    private static IElement Input(IRenderedComponent<SmtpSettingsPage> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']");

    private string Text(string key) => _ctx.Services.GetRequiredService<IStringLocalizer<Strings>>()[key];
}
