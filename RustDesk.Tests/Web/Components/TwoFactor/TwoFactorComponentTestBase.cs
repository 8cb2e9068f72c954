using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

/// <summary>
/// What the 2FA component tests share: a bUnit context on a real <see cref="CoreHost"/>, one user, and ways to
/// open the dialogs and to read back what the database holds. The dialogs render into a
/// <see cref="MudDialogProvider"/>, so that is where their markup is looked for.
/// </summary>
public abstract class TwoFactorComponentTestBase : ConsoleComponentTest
{
    protected ConsoleUser User { get; private set; } = default!;

    protected override async Task ArrangeAsync() => User = await Host.CreateUserAsync("jane.doe", Password);

    /// <summary>
    /// Stores a session of the user in the database, as signing in does, for components that need a real
    /// <c>SessionId</c> (the re-verification modal verifies against it). Enabling 2FA without a session signs all
    /// sessions out, so call this after <c>EnableAsync</c>, and after moving the clock far.
    /// </summary>
    protected Task<StoredSession> SignInAsync() => Host.StoreSessionAsync(User.UserName!);

    /// <summary>The session the Enable dialog was opened from (see <see cref="OpenEnableDialogAsync"/>).</summary>
    protected string? DialogSessionId { get; private set; }

    /// <summary>
    /// Opens the Enable dialog as <see cref="EnableTwoFactorDialog.OpenAsync"/> does once the user has re-verified (a
    /// granted session, here <paramref name="sessionId"/> or a new one), and waits for its QR code.
    /// </summary>
    protected async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenEnableDialogAsync(string? sessionId = null)
    {
        sessionId ??= (await SignInAsync()).SessionId;
        DialogSessionId = sessionId;
        await TestSessions.GrantAsync(Host.Services, sessionId);
        var start = await Host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(User.Id, sessionId));
        Assert.NotNull(start.View);
        var provider = RenderDialogs();
        var dialogs = Service<IDialogService>();
        var parameters = new DialogParameters<EnableTwoFactorDialog>
        {
            { d => d.UserId, User.Id }, { d => d.SessionId, sessionId }, { d => d.View, start.View },
        };
        var options = new DialogOptions { BackdropClick = false, CloseOnEscapeKey = false };
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<EnableTwoFactorDialog>(null, parameters, options));
        provider.WaitForElement("[data-testid='tfa-qr']");
        return (provider, dialog);
    }

    protected static IElement ByTestId(IRenderedComponent<MudDialogProvider> provider, string testId) =>
        provider.Find($"[data-testid='{testId}']");

    protected static IElement CodeInput(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input[data-testid='tfa-code']");

    protected static bool IsDisabled(IElement button) => button.HasAttribute("disabled");

    /// <summary>The key as the dialog shows it, read back into bytes as a user's authenticator app would.</summary>
    protected static byte[] ShownKey(IRenderedComponent<MudDialogProvider> provider) =>
        Base32Encoding.ToBytes(ByTestId(provider, "tfa-secret").TextContent.Trim().Replace(" ", ""));

    /// <summary>Types <paramref name="code"/> and presses the Enable button.</summary>
    protected static void EnterAndConfirm(IRenderedComponent<MudDialogProvider> provider, string code)
    {
        CodeInput(provider).Input(code);
        ByTestId(provider, "tfa-confirm").Click();
    }

    /// <summary>Six digits that no authenticator would show for <paramref name="key"/> now (±1 step).</summary>
    protected string WrongCodeFor(byte[] key)
    {
        var window = new[] { -1, 0, 1 }.Select(step => CodeAt(key, Host, step)).ToHashSet();
        return new[] { "000000", "111111", "222222", "333333" }.First(code => !window.Contains(code));
    }

    /// <summary>The Base32 key of the user's pending enrollment as stored (decrypted), or null when there is none.</summary>
    protected async Task<string?> PendingKeyAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var pending = await db.TotpEnrollments.AsNoTracking().SingleOrDefaultAsync(e => e.UserId == User.Id);
        return pending is null
            ? null
            : TotpSecret.ToBase32(scope.ServiceProvider.GetRequiredService<TotpSecretProtector>().Unprotect(pending.ProtectedSecret));
    }

    protected Task<TwoFactorStatus> StatusAsync() =>
        Host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(User.Id));

    /// <summary>Confirms in Core from the dialog's session, as the dialog would.</summary>
    protected Task<EnrollmentResult> ConfirmInCoreAsync(string code) =>
        Host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(User.Id, DialogSessionId, code));
}
