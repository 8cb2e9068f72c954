using AngleSharp.Dom;
using Bunit;
using MudBlazor;

namespace RustDesk.Tests.Web.Components;

/// <summary>
/// The re-verification modal (issue 5) as a user meets it: it opens in the <see cref="MudDialogProvider"/> when a
/// Core service refuses a protected change, takes a 2FA code, a backup code or (without 2FA) the current password,
/// and closes on success, after which the component repeats the change. Nothing here grants anything behind the
/// modal's back: the secret goes through the real dialog to the real <c>ReVerificationService</c>.
/// </summary>
internal static class ReVerificationModal
{
    public const string DialogSelector = "[data-testid='reverify-dialog']";

    private const string CodeSelector = "input[data-testid='reverify-code']";

    /// <summary>Waits until the modal is open and returns its code input.</summary>
    public static IElement WaitForReVerification(this IRenderedComponent<MudDialogProvider> provider)
    {
        provider.WaitForElement(DialogSelector);
        return provider.Find(DialogSelector + " " + CodeSelector);
    }

    public static bool ReVerificationIsOpen(this IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll(DialogSelector).Count > 0;

    /// <summary>Types <paramref name="secret"/> into the open modal and presses Verify (does not wait for the outcome).</summary>
    public static void EnterReVerification(this IRenderedComponent<MudDialogProvider> provider, string secret)
    {
        provider.WaitForReVerification().Input(secret);
        provider.WaitForElement("[data-testid='reverify-submit']:not([disabled])").Click();
    }

    /// <summary>Waits for the modal, answers it with <paramref name="secret"/>, and waits until it has closed.</summary>
    public static void AnswerReVerification(this IRenderedComponent<MudDialogProvider> provider, string secret)
    {
        provider.EnterReVerification(secret);
        provider.WaitForAssertion(() =>
        {
            Assert.Empty(provider.FindAll("[data-testid='reverify-error']"));
            Assert.False(provider.ReVerificationIsOpen(), "the re-verification modal is still open");
        });
    }

    /// <summary>The error the modal shows under the code field, or null while it shows none.</summary>
    public static string? ReVerificationError(this IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll("[data-testid='reverify-error']").SingleOrDefault()?.TextContent.Trim();

    /// <summary>Presses Cancel in the open modal and waits until it has closed.</summary>
    public static void CancelReVerification(this IRenderedComponent<MudDialogProvider> provider)
    {
        provider.WaitForReVerification();
        provider.Find("[data-testid='reverify-cancel']").Click();
        provider.WaitForAssertion(() => Assert.False(provider.ReVerificationIsOpen(), "the re-verification modal is still open"));
    }
}
