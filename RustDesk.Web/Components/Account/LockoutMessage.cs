using Microsoft.Extensions.Localization;
using RustDesk.Core.Authentication;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Components.Account;

/// <summary>What the sign-in pages say to a locked-out client: minutes left, or "until an administrator unlocks it".</summary>
public static class LockoutMessage
{
    /// <param name="until">The lockout's end from Core; null means until unlocked.</param>
    public static string For(IStringLocalizer<Strings> localizer, PasswordSignInService passwords, DateTimeOffset? until) =>
        until is null
            ? localizer["Login.LockedUntilUnlocked"]
            : localizer["Login.LockedOut", Math.Max(1, passwords.MinutesLeft(until))];
}
