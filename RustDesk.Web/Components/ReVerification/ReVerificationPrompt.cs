using MudBlazor;
using RustDesk.Web.Hosting;
using RustDesk.Core.ReVerification;
using RustDesk.Web.Resources;
using Microsoft.Extensions.Localization;

namespace RustDesk.Web.Components.ReVerification;

/// <summary>
/// Opens the re-verification modal when a Core service answered that a change needs it (the shared
/// <see cref="IProtectedChangeResult.ReVerificationRequired"/>). The rule (which changes, how long a grant lasts)
/// lives in <see cref="ReVerificationPolicy"/>; this only asks the user.
/// </summary>
public sealed class ReVerificationPrompt(IDialogService dialogs, ScopedRunner core, IStringLocalizer<Strings> text)
{
    /// <summary>True when the user re-verified (the caller then repeats its change once).</summary>
    public async Task<bool> PromptAsync(string userId, string? sessionId)
    {
        var offer = await core.RunAsync<ReVerificationService, ReVerificationOffer>(s => s.OfferAsync(userId, sessionId));
        var parameters = new DialogParameters<ReVerifyDialog>
        {
            { d => d.UserId, userId },
            { d => d.SessionId, sessionId },
            { d => d.Method, offer.Method },
            { d => d.Code, offer.Method == ReVerificationMethod.Password || offer.Code },
            { d => d.Passkey, offer.Passkey },
        };
        var dialog = await dialogs.ShowAsync<ReVerifyDialog>(text["ReVerify.Title"], parameters,
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, BackdropClick = false });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>
    /// A wrong password or code locked the account, and Core ended this session: say so (the page is about to lose
    /// everything), then load the sign-in page.
    /// </summary>
    public async Task SignOutLockedOutAsync()
    {
        await dialogs.ShowMessageBoxAsync(text["Lockout.Title"], text["Lockout.SignedOut"], yesText: text["Lockout.SignIn"]);
        core.SignedOut();
    }

    /// <summary>Runs <paramref name="change"/>; if Core asks for re-verification, asks the user once and runs it again.</summary>
    public async Task<T> RunAsync<T>(string userId, string? sessionId, Func<Task<T>> change) where T : IProtectedChangeResult
    {
        var result = await change();
        if (result.ReVerificationRequired && await PromptAsync(userId, sessionId))
        {
            result = await change();
        }
        return result;
    }
}
