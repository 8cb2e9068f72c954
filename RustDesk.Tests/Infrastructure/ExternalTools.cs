using System.Diagnostics;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// Independent implementations used as witnesses: <c>zbarimg</c> decodes the QR code from a screenshot and
/// <c>oathtool</c> computes TOTP codes, so the browser tests do not trust the console's own TOTP code.
/// </summary>
public static class ExternalTools
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {error}");
        }
        return output.Trim();
    }

    /// <summary>The text of the one QR code in a PNG file.</summary>
    public static Task<string> DecodeQrAsync(string pngPath) => RunAsync("zbarimg", "--quiet", "--raw", pngPath);

    /// <summary>The TOTP code for a Base32 key, <paramref name="offsetSeconds"/> from now.</summary>
    public static Task<string> TotpAsync(string base32, int offsetSeconds = 0) =>
        RunAsync("oathtool", "--totp", "-b", "--now", "@" + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds), base32);
}
