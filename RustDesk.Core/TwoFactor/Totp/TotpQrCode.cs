using QRCoder;

namespace RustDesk.Core.TwoFactor.Totp;

/// <summary>The enable dialog's QR code, drawn on the server so that no outside service ever sees the key.</summary>
public static class TotpQrCode
{
    /// <summary>A PNG <c>data:</c> URI (allowed by the console's CSP) for an <c>otpauth://</c> URI.</summary>
    public static string ToPngDataUri(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
