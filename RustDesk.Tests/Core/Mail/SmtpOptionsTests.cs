using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Mail;

public sealed class SmtpOptionsTests
{
    [Theory]
    [InlineData("Smtp:Port", "0", "Smtp:Port")]
    [InlineData("Smtp:Port", "70000", "Smtp:Port")]
    [InlineData("Smtp:Host", "smtp example.com", "Smtp:Host")]
    [InlineData("Smtp:From", "not a mailbox", "Smtp:From")]
    [InlineData("Smtp:TimeoutSeconds", "0", "Smtp:TimeoutSeconds")]
    [InlineData("Smtp:Outbox:MaxAttempts", "0", "Smtp:Outbox:MaxAttempts")]
    [InlineData("Smtp:Security", "Tls", "Smtp:Security")]
    public async Task Options_WrongValue_FailNamingTheKey(string key, string value, string named)
    {
        await using var host = new CoreHost(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() =>
        {
            _ = host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value;
            _ = host.Services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        });

        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Options_Defaults_AreValidAndMatchTheContract()
    {
        await using var host = new CoreHost();

        var smtp = host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value;

        Assert.Equal((null, 587, SmtpSecurity.StartTls, "RustDesk Console <console@localhost>", "mail", 15),
            (smtp.Host, smtp.Port, smtp.Security, smtp.From, smtp.PickupDirectory, smtp.TimeoutSeconds));
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(4, 120)]
    [InlineData(8, 1800)]
    [InlineData(9, 1800)]
    [InlineData(100, 1800)]
    public void RetryDelay_AfterFailures_DoublesAndIsCapped(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new OutboxOptions().RetryDelay(failures));
    }

    [Theory]
    [InlineData(SmtpSecurity.None, MailKit.Security.SecureSocketOptions.None)]
    [InlineData(SmtpSecurity.StartTls, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.Auto, MailKit.Security.SecureSocketOptions.Auto)]
    public void ToMailKit_EachSecurityMode_MapsToMailKit(SmtpSecurity security, MailKit.Security.SecureSocketOptions expected)
    {
        Assert.Equal(expected, SmtpMailTransport.ToMailKit(security));
    }
}
