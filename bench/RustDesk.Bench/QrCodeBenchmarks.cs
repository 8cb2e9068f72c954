using BenchmarkDotNet.Attributes;
using QRCoder;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Bench;

/// <summary>
/// The enable dialog's QR code for a typical <c>otpauth://</c> URI: as the product draws it (PNG, module size 6, as a
/// <c>data:</c> URI) and, for comparison, as an SVG of the same code (QRCoder's <c>SvgQRCode</c>).
/// </summary>
[MemoryDiagnoser]
public class QrCodeBenchmarks
{
    private readonly string _uri = TotpSecret.ToUri("RustDesk Console", "jonathan.kowalski@example.com", TotpSecret.ToBase32(TotpSecret.Generate()));

    [Benchmark(Baseline = true)]
    public string PngDataUri() => TotpQrCode.ToPngDataUri(_uri);

    [Benchmark]
    public string Svg()
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(_uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }

    [Benchmark]
    public int MatrixOnly()
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(_uri, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Count;
    }
}
