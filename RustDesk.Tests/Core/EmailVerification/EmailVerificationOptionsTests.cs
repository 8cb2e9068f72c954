using System.ComponentModel.DataAnnotations;
using RustDesk.Core.EmailVerification;

namespace RustDesk.Tests.Core.EmailVerification;

public sealed class EmailVerificationOptionsTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    [InlineData(60, false)]
    [InlineData(0, false)]
    public void CodeLifetimeMinutes_AboveTenMinutes_IsRefused(int minutes, bool valid)
    {
        // ASVS 5.0 6.5.5: an out-of-band code lives 10 minutes at most; start-up validates these annotations.
        var options = new EmailVerificationOptions { CodeLifetimeMinutes = minutes };

        var ok = Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);

        Assert.Equal(valid, ok);
    }
}
