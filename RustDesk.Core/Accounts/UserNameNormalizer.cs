using System.Text;
using Microsoft.AspNetCore.Identity;

namespace RustDesk.Core.Accounts;

/// <summary>
/// The one normaliser for user names and emails, used by every look-up through Identity. The original console
/// normalised case differently in different look-ups, which broke 2FA for names with capitals; here everything
/// goes through <see cref="UserManager{TUser}"/>, which calls this.
/// </summary>
public sealed class UserNameNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => Normalize(name);

    public string? NormalizeEmail(string? email) => Normalize(email);

    /// <summary>Trim, Unicode NFKC (so full-width and composed forms agree), then upper-case invariant.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var trimmed = value.Trim();
        if (!trimmed.IsNormalized(NormalizationForm.FormKC))
        {
            try
            {
                trimmed = trimmed.Normalize(NormalizationForm.FormKC);
            }
            catch (ArgumentException)
            {
                // Lone surrogates cannot be normalised; such a name matches nothing.
            }
        }
        return trimmed.ToUpperInvariant();
    }
}
