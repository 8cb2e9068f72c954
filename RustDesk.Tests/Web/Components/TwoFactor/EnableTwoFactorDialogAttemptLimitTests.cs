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

/// <summary>The enable dialog with the enrollment's own attempt limit below the account's lockout.</summary>
public sealed class EnableTwoFactorDialogAttemptLimitTests : TwoFactorComponentTestBase
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["TwoFactor:EnrollmentMaxAttempts"] = "5" };

    [Fact]
    public async Task Confirm_FifthWrongCode_ShowsANewKeyAndSaysSo()
    {
        using var culture = InEnglish();
        var (provider, _) = await OpenEnableDialogAsync();
        var oldKey = ShownKey(provider);
        var oldQr = ByTestId(provider, "tfa-qr").GetAttribute("src");
        for (var attempt = 1; attempt < 5; attempt++)
        {
            EnterAndConfirm(provider, WrongCodeFor(oldKey));
            // The field is emptied once the answer is back.
            provider.WaitForAssertion(() => Assert.True(string.IsNullOrEmpty(CodeInput(provider).GetAttribute("value"))));
            Assert.Equal(Text("Tfa.WrongCode"), ByTestId(provider, "tfa-error").TextContent.Trim());
        }

        EnterAndConfirm(provider, WrongCodeFor(oldKey));

        provider.WaitForAssertion(() => Assert.Equal(Text("Tfa.Restarted"), ByTestId(provider, "tfa-error").TextContent.Trim()));
        var newKey = ShownKey(provider);
        Assert.NotEqual(oldKey, newKey);
        Assert.NotEqual(oldQr, ByTestId(provider, "tfa-qr").GetAttribute("src"));
        Assert.Equal(TotpSecret.ToBase32(newKey), await PendingKeyAsync());
        Assert.Equal(EnrollmentStatus.WrongCode, (await ConfirmInCoreAsync(CodeAt(oldKey, Host))).Status);
    }
}
