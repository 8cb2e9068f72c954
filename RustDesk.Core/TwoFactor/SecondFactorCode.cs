namespace RustDesk.Core.TwoFactor;

public enum SecondFactorKind
{
    Invalid,
    Totp,
    BackupCode,
}

/// <summary>
/// What a user typed into "Enter your 2FA code or backup code": spaces and hyphens are ignored; 6 ASCII digits
/// are a TOTP code, 10 a backup code; anything else (letters, other lengths, non-ASCII digits such as "١٢٣") is
/// refused before any secret is consulted.
/// </summary>
public readonly record struct SecondFactorCode(SecondFactorKind Kind, string Digits)
{
    public const int MaxInputLength = 64;

    public static SecondFactorCode Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return default;
        }
        Span<char> digits = stackalloc char[MaxInputLength];
        var count = 0;
        foreach (var c in input)
        {
            if (c is ' ' or '-')
            {
                continue;
            }
            if (c is < '0' or > '9')
            {
                return default;
            }
            digits[count++] = c;
        }
        var text = new string(digits[..count]);
        return count switch
        {
            6 => new(SecondFactorKind.Totp, text),
            BackupCodes.BackupCodeService.Digits => new(SecondFactorKind.BackupCode, text),
            _ => default,
        };
    }

    /// <summary>Exactly six ASCII digits, nothing else (the enable dialog and the RustDesk client).</summary>
    public static bool IsTotpCode(string? input) =>
        input is { Length: 6 } && input.All(c => c is >= '0' and <= '9');
}
