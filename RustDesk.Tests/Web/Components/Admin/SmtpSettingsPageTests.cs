using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Components.Settings;
using RustDesk.Web.Components.Admin;

namespace RustDesk.Tests.Web.Components.Admin;

public sealed class SmtpSettingsPageTests : ConsoleComponentTest
{
    private RustDesk.Core.Accounts.ConsoleUser _admin = default!;
    private string _adminSession = "";

    protected override async Task ArrangeAsync()
    {
        _admin = (await Host.FindUserAsync(DatabaseInitializer.AdminUserName))!;
        _adminSession = await Host.SessionIdOfAsync(_admin.Id);
    }

    [Fact]
    public void Render_Administrator_ShowsConfigurationAndThePickupFolder()
    {
        using var culture = SignedInAsAdmin();
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains(Path.Combine(Host.DataDirectory, "mail"), cut.Find("[data-testid='smtp-status']").TextContent));
        Assert.Equal("RustDesk Console <console@localhost>", Input(cut, "smtp-from").GetAttribute("value"));
        Assert.Equal("587", Input(cut, "smtp-port").GetAttribute("value"));
        Assert.Equal(Text("Smtp.PasswordNotSet"), Input(cut, "smtp-password").GetAttribute("placeholder"));
        Assert.Equal("none", cut.Find("[data-testid='smtp-last-error']").GetAttribute("data-state"));
    }

    [Fact]
    public async Task Save_PortOutOfRange_ShowsTheErrorUnderThePortAndSavesNothing()
    {
        using var culture = SignedInAsAdmin();
        var cut = RenderPage();
        cut.WaitForElement("[data-testid='smtp-save']");

        Input(cut, "smtp-host").Input("smtp.example.com");
        Input(cut, "smtp-port").Input("70000");
        cut.Find("[data-testid='smtp-save']").Click();

        cut.WaitForAssertion(() => Assert.Equal(Text("Smtp.Error.PortOutOfRange"), Input(cut, "smtp-port").FieldError()));
        Assert.Equal(0, await Host.WithAsync<ConsoleDbContext, int>(db => db.SmtpSettings.CountAsync()));
    }

    [Fact]
    public async Task Save_ValidSettings_SavesThemAndShowsTheSmtpServer()
    {
        using var culture = SignedInAsAdmin();
        var cut = RenderPage();
        cut.WaitForElement("[data-testid='smtp-save']");

        Input(cut, "smtp-host").Input("mail.example.com");
        Input(cut, "smtp-port").Input("2525");
        Input(cut, "smtp-password").Input("new-secret");
        cut.Find("[data-testid='smtp-save']").Click();

        cut.WaitForAssertion(() => Assert.Contains("mail.example.com", cut.Find("[data-testid='smtp-status']").TextContent));
        var effective = await Host.WithAsync<SmtpSettingsService, EffectiveSmtpSettings>(s => s.GetEffectiveAsync());
        Assert.Equal(("mail.example.com", 2525, "new-secret"), (effective.Host, effective.Port, effective.Password));
        // Never shown back: the field is empty again and says a password is set.
        cut.WaitForAssertion(() => Assert.Equal(Text("Smtp.PasswordSet"), Input(cut, "smtp-password").GetAttribute("placeholder")));
        Assert.DoesNotContain("new-secret", cut.Markup);
    }

    [Fact]
    public async Task Render_AfterAFailedDelivery_ShowsTheLastError()
    {
        using var culture = SignedInAsAdmin();
        // Nothing listens on port 1 of the loopback address: the attempt fails at once.
        await Host.WithAsync<SmtpSettingsService, SmtpSaveResult>(s => s.SaveAsync(_admin.Id, _adminSession,
            new SmtpSettingsInput { Host = "127.0.0.1", Port = 1, Security = SmtpSecurity.None, From = "c@example.com" }));
        await Host.WithAsync<SmtpSettingsService, SmtpTestResult>(s => s.SendTestAsync(_admin.Id, _adminSession, "ops@example.com"));
        await Host.Services.GetRequiredService<OutboxWorker>().ProcessDueAsync();

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("error", cut.Find("[data-testid='smtp-last-error']").GetAttribute("data-state")));
        // The time of the failure, in the console's one format (UTC: bUnit has no browser to name a zone).
        var failedAt = RustDesk.Web.Components.Shared.LocalTimeFormat.DateTime(Host.Time.GetUtcNow().UtcDateTime, TimeZoneInfo.Utc,
            System.Globalization.CultureInfo.CurrentCulture);
        Assert.Contains(failedAt + ", message", cut.Find("[data-testid='smtp-last-error']").TextContent);
    }

    /// <summary>Signed in as the administrator; the authorization services go in before the console's test services lock the container.</summary>
    private CultureScope SignedInAsAdmin() => SignedInAs(_admin, RustDesk.Core.Accounts.Roles.Administrator, _adminSession, "en");

    private IRenderedComponent<SmtpSettingsPage> RenderPage() => Render<SmtpSettingsPage>();

    private static IElement Input(IRenderedComponent<SmtpSettingsPage> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']");
}
