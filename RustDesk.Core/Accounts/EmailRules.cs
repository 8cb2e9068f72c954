using System.Globalization;
using System.Net.Mail;

namespace RustDesk.Core.Accounts;

/// <summary>What the console accepts as an email address.</summary>
public static class EmailRules
{
    /// <summary>True when the user turned on email login verification and has an address (TOTP, when on, comes first: the caller checks).</summary>
    public static bool SignInCodeApplies(ConsoleUser user) => user.EmailLoginVerification && !string.IsNullOrEmpty(user.Email);

    /// <summary>
    /// The one reading of an address field: trimmed, blank = none (<paramref name="normalized"/> null), else it must
    /// pass <see cref="IsValid"/>. False when the input is no address.
    /// </summary>
    public static bool TryNormalize(string? email, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        return normalized is null || IsValid(normalized);
    }

    /// <summary>True for a single plain address (no display name, no whitespace, control or invisible format characters, at most 254 characters).</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > ConsoleUser.MaxEmailLength)
        {
            return false;
        }
        // Invisible format characters (zero-width space and joiner, direction overrides, BOM) would let an address
        // look exactly like another user's while passing the "already used" check.
        if (email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)
                || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            return false;
        }
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0)
        {
            return false;
        }
        var at = email.LastIndexOf('@');
        var domain = email[(at + 1)..];
        return at > 0 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    /// <summary><c>jane@example.com</c> → <c>j***@example.com</c>.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }
}
