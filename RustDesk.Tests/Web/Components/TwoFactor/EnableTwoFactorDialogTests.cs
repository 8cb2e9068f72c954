using System.Text.RegularExpressions;
using Bunit;
using Microsoft.JSInterop;
using MudBlazor;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Components.Settings;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

public sealed partial class EnableTwoFactorDialogTests : TwoFactorComponentTestBase
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [GeneratedRegex("^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$")]
    private static partial Regex GroupedBase32Key();

    [GeneratedRegex("^[0-9]{5} [0-9]{5}$")]
    private static partial Regex ShownBackupCode();

    [Fact]
    public async Task Open_NewUser_ShowsPngQrImage()
    {
        using var culture = InEnglish();

        var (provider, _) = await OpenEnableDialogAsync();

        var qr = ByTestId(provider, "tfa-qr");
        Assert.Equal("IMG", qr.TagName);
        var src = qr.GetAttribute("src")!;
        Assert.StartsWith("data:image/png;base64,", src);
        var png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
        Assert.Equal(PngSignature, png.Take(PngSignature.Length));
        Assert.Equal(Text("Tfa.QrAlt"), qr.GetAttribute("alt"));
        Assert.Contains(Text("Tfa.EnableTitle"), provider.Markup);
    }

    [Fact]
    public async Task Open_NewUser_ShowsThePendingKeyInGroupsOfFour()
    {
        using var culture = InEnglish();

        var (provider, _) = await OpenEnableDialogAsync();

        var shown = ByTestId(provider, "tfa-secret").TextContent.Trim();
        var stored = await PendingKeyAsync();
        Assert.NotNull(stored);
        Assert.Matches(GroupedBase32Key(), shown);
        Assert.Equal(string.Join(' ', stored.Chunk(4).Select(group => new string(group))), shown);
        // Each group is its own unbreakable span, so a narrow screen wraps between groups only.
        Assert.Equal(stored.Chunk(4).Select(group => new string(group)), provider.FindAll("[data-testid='tfa-secret'] .rd-secret-group").Select(g => g.TextContent));
    }

    [Fact]
    public async Task Confirm_CodeComputedFromTheShownKey_EnablesTwoFactor()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        var status = await StatusAsync();
        Assert.Equal(TwoFactorState.Enabled, status.State);
        Assert.Null(await PendingKeyAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("12")]
    [InlineData("123")]
    [InlineData("1234")]
    [InlineData("12345")]
    [InlineData("abcdef")]
    [InlineData("12345a")]
    [InlineData("123 45")]
    [InlineData("1234567")]
    public async Task ConfirmButton_NotExactlySixDigits_StaysDisabled(string typed)
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        CodeInput(provider).Input(typed);

        Assert.True(IsDisabled(ByTestId(provider, "tfa-confirm")), $"Enable is clickable with '{typed}'");
    }

    [Fact]
    public async Task ConfirmButton_BeforeTyping_IsDisabled()
    {
        using var culture = InEnglish();

        var (provider, _) = await OpenEnableDialogAsync();

        Assert.True(IsDisabled(ByTestId(provider, "tfa-confirm")));
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("000000")]
    public async Task ConfirmButton_ExactlySixDigits_IsEnabled(string typed)
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        CodeInput(provider).Input(typed);

        Assert.False(IsDisabled(ByTestId(provider, "tfa-confirm")));
    }

    [Fact]
    public async Task ConfirmButton_SixDigitsThenOneDeleted_IsDisabledAgain()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        CodeInput(provider).Input("123456");

        CodeInput(provider).Input("12345");

        Assert.True(IsDisabled(ByTestId(provider, "tfa-confirm")));
    }

    [Fact]
    public async Task Confirm_WrongCode_ShowsErrorAndKeepsTheSameQrAndKey()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        var qrBefore = ByTestId(provider, "tfa-qr").GetAttribute("src");
        var keyBefore = ByTestId(provider, "tfa-secret").TextContent.Trim();
        var storedBefore = await PendingKeyAsync();

        EnterAndConfirm(provider, WrongCodeFor(ShownKey(provider)));

        provider.WaitForAssertion(() => Assert.Equal(Text("Tfa.WrongCode"), ByTestId(provider, "tfa-error").TextContent.Trim()));
        Assert.Equal(qrBefore, ByTestId(provider, "tfa-qr").GetAttribute("src"));
        Assert.Equal(keyBefore, ByTestId(provider, "tfa-secret").TextContent.Trim());
        Assert.Equal(storedBefore, await PendingKeyAsync());
        Assert.Empty(provider.FindAll("[data-testid='backup-codes']"));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Confirm_WrongCode_ShowsTheMessageOnceAndMarksTheField()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, WrongCodeFor(ShownKey(provider)));

        provider.WaitForElement("[data-testid='tfa-error']");
        var dialogText = provider.Find(".mud-dialog").TextContent;
        var message = Text("Tfa.WrongCode");
        Assert.Equal(1, (dialogText.Length - dialogText.Replace(message, "", StringComparison.Ordinal).Length) / message.Length);
        // The field still says it is wrong (red, aria-invalid) and points at the one message.
        var input = provider.Find("input[data-testid='tfa-code']");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Equal(ByTestId(provider, "tfa-error").Id, input.GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task Confirm_RightCodeAfterAWrongOne_EnablesWithTheSameKey()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        var key = ShownKey(provider);
        EnterAndConfirm(provider, WrongCodeFor(key));
        provider.WaitForElement("[data-testid='tfa-error']");

        EnterAndConfirm(provider, CodeAt(key, Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.Empty(provider.FindAll("[data-testid='tfa-error']"));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Confirm_WrongCode_ClearsTheCodeField()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, WrongCodeFor(ShownKey(provider)));

        provider.WaitForElement("[data-testid='tfa-error']");
        Assert.True(string.IsNullOrEmpty(CodeInput(provider).GetAttribute("value")));
        Assert.True(IsDisabled(ByTestId(provider, "tfa-confirm")));
    }

    [Fact]
    public async Task EnterKey_SixDigitRightCode_EnablesTwoFactor()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        CodeInput(provider).Input(CodeAt(ShownKey(provider), Host));

        CodeInput(provider).KeyUp(Key.Enter);

        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task EnterKey_FiveDigits_DoesNothing()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        CodeInput(provider).Input(CodeAt(ShownKey(provider), Host)[..5]);
        var dialog = provider.FindComponent<RustDesk.Web.Components.TwoFactor.EnableTwoFactorDialog>();
        var renders = dialog.RenderCount;

        // Awaiting the dispatch waits until the dialog's key handler has finished, including anything it awaited.
        await CodeInput(provider).KeyUpAsync(Key.Enter);

        Assert.True(dialog.RenderCount > renders, "the dialog did not handle the key");
        Assert.Empty(provider.FindAll("[data-testid='tfa-error']"));
        Assert.Empty(provider.FindAll("[data-testid='backup-codes']"));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Confirm_TenthWrongCode_LocksTheAccountSaysSoAndSignsOut()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        var key = ShownKey(provider);
        for (var attempt = 1; attempt < 10; attempt++)
        {
            EnterAndConfirm(provider, WrongCodeFor(key));
            provider.WaitForAssertion(() => Assert.True(string.IsNullOrEmpty(CodeInput(provider).GetAttribute("value"))));
            Assert.Equal(Text("Tfa.WrongCode"), ByTestId(provider, "tfa-error").TextContent.Trim());
        }

        EnterAndConfirm(provider, WrongCodeFor(key));

        // Each wrong code counted toward the account's lockout (10): the tenth locks it and ends this session.
        provider.WaitForAssertion(() => Assert.Contains(Text("Lockout.SignedOut"), provider.Markup));
        Assert.False(await Host.WithAsync<RustDesk.Core.Sessions.SessionService, bool>(s => s.IsValidAsync(DialogSessionId, User.Id)));
        provider.Find(".mud-message-box__yes-button, .mud-dialog-actions button").Click();
        var navigation = Navigation;
        provider.WaitForAssertion(() => Assert.EndsWith("/account/login", navigation.Uri));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }
    [Fact]
    public async Task Confirm_AfterThePendingKeyExpired_ShowsANewKeyThatWorks()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        var oldKey = ShownKey(provider);
        Host.Time.Advance(TimeSpan.FromMinutes(16));

        EnterAndConfirm(provider, CodeAt(oldKey, Host));
        // The re-verification that allowed the first key has run out too: a new key needs the password again.
        provider.AnswerReVerification(Password);

        provider.WaitForAssertion(() => Assert.Equal(Text("Tfa.Restarted"), ByTestId(provider, "tfa-error").TextContent.Trim()));
        var newKey = ShownKey(provider);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
        EnterAndConfirm(provider, CodeAt(newKey, Host));
        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Confirm_SignOutOthersLeftTicked_EndsOtherSessionsAndKeepsThisOne()
    {
        using var culture = InEnglish();
        var current = await Host.StoreSessionAsync(User.UserName!);
        var other = await Host.StoreSessionAsync(User.UserName!);
        var (provider, _) = await OpenEnableDialogAsync(current.SessionId);

        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.True(await Host.IsValidAsync(current));
        Assert.False(await Host.IsValidAsync(other));
    }

    [Fact]
    public async Task Confirm_SignOutOthersUnticked_KeepsOtherSessions()
    {
        using var culture = InEnglish();
        var current = await Host.StoreSessionAsync(User.UserName!);
        var other = await Host.StoreSessionAsync(User.UserName!);
        var (provider, _) = await OpenEnableDialogAsync(current.SessionId);
        provider.Find("[data-testid='tfa-signout-others'] input[type='checkbox'], input[type='checkbox'][data-testid='tfa-signout-others']").Change(false);

        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.True(await Host.IsValidAsync(current));
        Assert.True(await Host.IsValidAsync(other));
    }

    [Fact]
    public async Task Cancel_OpenDialog_ClosesAndDiscardsThePendingKey()
    {
        using var culture = InEnglish();
        var (provider, dialog) = await OpenEnableDialogAsync();
        var oldKey = ShownKey(provider);
        var oldBase32 = TotpSecret.ToBase32(oldKey);
        Assert.NotNull(ByTestId(provider, "tfa-dialog"));

        ByTestId(provider, "tfa-cancel").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result!.Canceled);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='tfa-dialog']")));
        Assert.Null(await PendingKeyAsync());
        Assert.NotEqual(EnrollmentStatus.Enabled, (await ConfirmInCoreAsync(CodeAt(oldKey, Host))).Status);
        var restarted = (await Host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(User.Id, DialogSessionId))).View;
        Assert.NotEqual(oldBase32, restarted!.SecretBase32);
        Assert.NotEqual(EnrollmentStatus.Enabled, (await ConfirmInCoreAsync(CodeAt(oldKey, Host))).Status);
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Confirm_RightCode_ShowsSixTenDigitBackupCodesThatWork()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        var shown = provider.FindAll("[data-testid='backup-code']").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(6, shown.Count);
        Assert.All(shown, code => Assert.Matches(ShownBackupCode(), code));
        Assert.Equal(6, shown.Distinct().Count());
        Assert.Empty(provider.FindAll("[data-testid='tfa-confirm']"));
        Assert.NotNull(ByTestId(provider, "backup-codes-download"));
        Assert.Equal(6, (await StatusAsync()).UnusedBackupCodes);
        foreach (var code in shown)
        {
            // Typed exactly as shown, with the space: each one signs in once.
            Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(Host, User.Id, code));
        }
        Assert.Equal(0, (await StatusAsync()).UnusedBackupCodes);
    }

    [Fact]
    public async Task Download_BackupCodesShown_SendsATxtFileWithTheSixCodes()
    {
        using var culture = InEnglish();
        Ctx.JSInterop.SetupVoid("rdConsole.download", _ => true).SetVoidResult();
        var (provider, _) = await OpenEnableDialogAsync();
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");
        var shown = provider.FindAll("[data-testid='backup-code']").Select(e => e.TextContent.Trim()).ToList();

        ByTestId(provider, "backup-codes-download").Click();

        var invocation = Ctx.JSInterop.VerifyInvoke("rdConsole.download");
        Assert.Equal(2, invocation.Arguments.Count);
        var fileName = Assert.IsType<string>(invocation.Arguments[0]);
        var text = Assert.IsType<string>(invocation.Arguments[1]);
        Assert.EndsWith(".txt", fileName);
        Assert.Equal(6, shown.Count);
        Assert.All(shown, code => Assert.Contains(code, text));
        Assert.StartsWith(Text("Backup.FileHeader"), text);
    }

    [Fact]
    public async Task Copy_BackupCodesShown_CopiesTheSixCodesAndSaysSo()
    {
        using var culture = InEnglish();
        Ctx.JSInterop.SetupVoid("rdConsole.copyText", _ => true).SetVoidResult();
        var snackbars = RenderSnackbars();
        var (provider, _) = await OpenEnableDialogAsync();
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");
        var shown = provider.FindAll("[data-testid='backup-code']").Select(e => e.TextContent.Trim()).ToList();

        ByTestId(provider, "backup-codes-copy").Click();

        var invocation = Ctx.JSInterop.VerifyInvoke("rdConsole.copyText");
        var text = Assert.IsType<string>(Assert.Single(invocation.Arguments));
        Assert.Equal(6, shown.Count);
        Assert.All(shown, code => Assert.Contains(code, text));
        snackbars.WaitForAssertion(() => Assert.Contains(Text("Common.Copied"), snackbars.Markup));
    }

    [Fact]
    public async Task Copy_BrowserRefusesTheClipboard_SaysToCopyByHand()
    {
        using var culture = InEnglish();
        Ctx.JSInterop.SetupVoid("rdConsole.copyText", _ => true).SetException(new JSException("clipboard denied"));
        var snackbars = RenderSnackbars();
        var (provider, _) = await OpenEnableDialogAsync();
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");

        ByTestId(provider, "backup-codes-copy").Click();

        snackbars.WaitForAssertion(() => Assert.Contains(Text("Common.CopyFailed"), snackbars.Markup));
        Assert.DoesNotContain(Text("Common.Copied"), snackbars.Markup);
        Assert.NotNull(ByTestId(provider, "backup-codes"));
    }

    [Fact]
    public async Task CopyKey_DialogOpen_CopiesTheKeyWithoutSpaces()
    {
        using var culture = InEnglish();
        Ctx.JSInterop.SetupVoid("rdConsole.copyText", _ => true).SetVoidResult();
        var (provider, _) = await OpenEnableDialogAsync();

        ByTestId(provider, "tfa-secret-copy").Click();

        var invocation = Ctx.JSInterop.VerifyInvoke("rdConsole.copyText");
        Assert.Equal(await PendingKeyAsync(), Assert.Single(invocation.Arguments));
    }

    [Fact]
    public async Task Done_BackupCodesShown_ClosesTheDialogAsConfirmed()
    {
        using var culture = InEnglish();
        var (provider, dialog) = await OpenEnableDialogAsync();
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");

        ByTestId(provider, "backup-codes-done").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result!.Canceled);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='backup-codes']")));
    }

    [Fact]
    public async Task Open_GermanCulture_ShowsGermanDialogText()
    {
        using var culture = InGerman();

        var (provider, _) = await OpenEnableDialogAsync();

        Assert.Contains("Zwei-Faktor-Authentifizierung aktivieren", provider.Markup);
        Assert.Contains("Scannen Sie den QR-Code mit der App.", provider.Markup);
        Assert.Equal("Abbrechen", ByTestId(provider, "tfa-cancel").TextContent.Trim());
        Assert.Equal("2FA aktivieren", ByTestId(provider, "tfa-confirm").TextContent.Trim());
        Assert.Equal("QR-Code für Ihre Authenticator-App", ByTestId(provider, "tfa-qr").GetAttribute("alt"));
        Assert.Equal("2FA-Code", CodeInput(provider).LabelOf());
    }

    [Fact]
    public async Task Confirm_GermanCultureWrongCode_ShowsGermanError()
    {
        using var culture = InGerman();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, WrongCodeFor(ShownKey(provider)));

        provider.WaitForAssertion(() => Assert.Equal(
            "Dieser Code stimmt nicht. Prüfen Sie die Uhrzeit Ihres Telefons und geben Sie den neuesten Code ein.",
            ByTestId(provider, "tfa-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Confirm_GermanCultureRightCode_ShowsGermanBackupPanel()
    {
        using var culture = InGerman();
        var (provider, _) = await OpenEnableDialogAsync();

        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        Assert.Contains("Sie werden nicht noch einmal angezeigt.", provider.Markup);
        Assert.Equal("Codes herunterladen", ByTestId(provider, "backup-codes-download").TextContent.Trim());
        Assert.Equal("Kopieren", ByTestId(provider, "backup-codes-copy").TextContent.Trim());
        Assert.Equal("Fertig", ByTestId(provider, "backup-codes-done").TextContent.Trim());
    }
}
