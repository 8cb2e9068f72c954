namespace RustDesk.Web.Components.TwoFactor;

/// <summary>
/// Tells every part of one page (one circuit: this service is scoped) that shows 2FA — the Basic tab's chip, the
/// Security tab's section, the layout's expiry banner, Recent activity — that the user's 2FA just changed (enabled,
/// renewed, disabled, new backup codes), so each reloads its state without a page reload. The component that made the
/// change raises it; the change itself was made and checked in Core.
/// </summary>
public sealed class TwoFactorChanges
{
    /// <summary>Raised after a change; handlers reload through <c>InvokeAsync</c> on their own renderer.</summary>
    public event Func<Task>? Changed;

    public async Task NotifyAsync()
    {
        if (Changed is not { } changed)
        {
            return;
        }
        foreach (var handler in changed.GetInvocationList().Cast<Func<Task>>())
        {
            await handler();
        }
    }
}
