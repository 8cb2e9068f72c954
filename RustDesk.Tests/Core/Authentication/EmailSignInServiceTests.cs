using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Authentication;

public sealed class EmailSignInServiceTests : VerifiedEmailUserTest
{
    private Task<SignInStart> StartAsync(ConsoleUser? user = null) =>
        Host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(user ?? Jane, false, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0"));

    private Task<EmailStepResult> VerifyAsync(string? key, string? code) =>
        Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.VerifyAsync(key, code));

    private Task<EmailStepResult> ResendAsync(string? key) =>
        Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.ResendAsync(key));

    private static string Other(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task StartAsync_VerificationOn_SendsACodeThatSignsInOnce()
    {
        var start = await StartAsync();
        var code = await Env.DeliverAndReadCodeAsync(Address);

        var first = await VerifyAsync(start.PendingKey, code);
        var second = await VerifyAsync(start.PendingKey, code);

        Assert.Equal(SignInNextStep.Email, start.Next);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(EmailStepStatus.Succeeded, first.Status);
        Assert.Equal(Jane.Id, first.User!.Id);
        Assert.Equal(EmailStepStatus.Expired, second.Status);
    }

    [Fact]
    public async Task Message_SaysWhatWhenAndWhereFrom()
    {
        await StartAsync();
        await Env.DeliverAsync();

        var message = await Env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains(Address));

        Assert.Contains("10", message.TextBody);
        Assert.Contains("203.0.113.7", message.TextBody);
        Assert.Contains("Chrome", message.TextBody);
        Assert.NotNull(message.HtmlBody);
        Assert.Contains(EmailTestHost.CodeIn(message), message.HtmlBody);
    }

    [Fact]
    public async Task Message_UserWhoChoseGerman_GetsGerman()
    {
        var hans = await Env.CreateVerifiedUserAsync("hans", "hans password 1", "hans@example.com", "de");

        await StartAsync(hans);
        await Env.DeliverAsync();
        var message = await Env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains("hans@example.com"));

        Assert.Contains("Anmeldecode", message.Subject);
        Assert.Matches("(Anmeld|Minuten)", message.TextBody);
    }

    [Fact]
    public async Task VerifyAsync_AfterCodeLifetime_Fails()
    {
        var start = await StartAsync();
        var code = await Env.DeliverAndReadCodeAsync(Address);

        Host.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(EmailStepStatus.Expired, (await VerifyAsync(start.PendingKey, code)).Status);
    }

    [Fact]
    public async Task ResendAsync_VoidsTheOldCode()
    {
        var start = await StartAsync();
        var oldCode = await Env.DeliverAndReadCodeAsync(Address);
        Host.Time.Advance(TimeSpan.FromSeconds(61));

        var resent = await ResendAsync(start.PendingKey);
        var newCode = await Env.DeliverAndReadCodeAsync(Address, previousCount: 1);

        Assert.Equal(EmailStepStatus.Sent, resent.Status);
        Assert.Equal(2, Env.CountTo(Address));
        if (newCode != oldCode)
        {
            Assert.Equal(EmailStepStatus.Wrong, (await VerifyAsync(start.PendingKey, oldCode)).Status);
        }
        Assert.Equal(EmailStepStatus.Succeeded, (await VerifyAsync(start.PendingKey, newCode)).Status);
    }

    [Fact]
    public async Task ResendAsync_WithinSixtySeconds_IsRefused()
    {
        var start = await StartAsync();
        Host.Time.Advance(TimeSpan.FromSeconds(30));

        var resent = await ResendAsync(start.PendingKey);

        Assert.Equal(EmailStepStatus.TooSoon, resent.Status);
        Assert.InRange(resent.RetryInSeconds, 29, 30);
        await Env.DeliverAsync();
        Assert.Equal(1, Env.CountTo(Address));
    }

    [Fact]
    public async Task VerifyAsync_FiveWrongCodes_VoidTheCode()
    {
        var start = await StartAsync();
        var code = await Env.DeliverAndReadCodeAsync(Address);

        var results = new List<EmailStepStatus>();
        for (var i = 0; i < 5; i++)
        {
            results.Add((await VerifyAsync(start.PendingKey, Other(code))).Status);
        }

        Assert.All(results.Take(4), r => Assert.Equal(EmailStepStatus.Wrong, r));
        Assert.Equal(EmailStepStatus.CodeVoided, results[4]);
        Assert.Equal(EmailStepStatus.CodeVoided, (await VerifyAsync(start.PendingKey, code)).Status);
    }

    [Fact]
    public async Task VerifyAsync_WrongCodes_CountTowardLockout()
    {
        var start = await StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await VerifyAsync(start.PendingKey, "999999");
        }

        var user = await Host.FindUserAsync("jane");

        Assert.Equal(4, user!.AccessFailedCount);
    }

    [Fact]
    public async Task VerifyAsync_CodeOfAnotherPendingSignIn_DoesNotWork()
    {
        var other = await Env.CreateVerifiedUserAsync("bob", "bob password 12", "bob@example.com");
        var janes = await StartAsync();
        var bobs = await StartAsync(other);
        var janesCode = await Env.DeliverAndReadCodeAsync(Address);

        var crossed = await VerifyAsync(bobs.PendingKey, janesCode);

        Assert.NotEqual(EmailStepStatus.Succeeded, crossed.Status);
        Assert.Equal(EmailStepStatus.Succeeded, (await VerifyAsync(janes.PendingKey, janesCode)).Status);
    }

    [Fact]
    public async Task StartAsync_NewSignIn_VoidsTheEarlierOne()
    {
        var first = await StartAsync();
        var firstCode = await Env.DeliverAndReadCodeAsync(Address);

        var second = await StartAsync();

        Assert.Equal(EmailStepStatus.Expired, (await VerifyAsync(first.PendingKey, firstCode)).Status);
        var secondCode = await Env.DeliverAndReadCodeAsync(Address, previousCount: 1);
        Assert.Equal(EmailStepStatus.Succeeded, (await VerifyAsync(second.PendingKey, secondCode)).Status);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("12 456")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData("")]
    [InlineData(null)]
    public async Task VerifyAsync_MalformedCode_IsRefusedWithoutCounting(string? code)
    {
        var start = await StartAsync();

        var result = await VerifyAsync(start.PendingKey, code);

        Assert.Equal(EmailStepStatus.InvalidFormat, result.Status);
        Assert.Equal(0, (await Host.FindUserAsync("jane"))!.AccessFailedCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forged-key")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task VerifyAsync_ForgedPendingKey_IsExpired(string? key)
    {
        await StartAsync();

        Assert.Equal(EmailStepStatus.Expired, (await VerifyAsync(key, "123456")).Status);
    }

    [Fact]
    public async Task Database_NeverHoldsTheCodeInClear()
    {
        var start = await StartAsync();
        var code = await Env.DeliverAndReadCodeAsync(Address);

        var pending = await Host.WithAsync<ConsoleDbContext, List<PendingSignIn>>(db => db.PendingSignIns.AsNoTracking().ToListAsync());
        var outbox = await Host.WithAsync<ConsoleDbContext, List<string>>(db =>
            db.OutboxMessages.AsNoTracking().Select(m => m.TextBody + "|" + m.HtmlBody + "|" + m.Subject).ToListAsync());

        var row = Assert.Single(pending);
        Assert.NotNull(row.EmailCodeHash);
        Assert.DoesNotContain(code, row.EmailCodeHash);
        Assert.All(outbox, body => Assert.DoesNotContain(code, body));
        // Nor anywhere else in the files: not in another row, an index, a free page or the write-ahead log.
        var bytes = await Host.DatabaseBytesAsync();
        Assert.DoesNotContain(code, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(EmailStepStatus.Succeeded, (await VerifyAsync(start.PendingKey, code)).Status);
    }

    [Fact]
    public async Task SmtpDown_PageSaysNotSent_AndTheCodeArrivesWhenItIsBack()
    {
        // Arrange: the SMTP server is down when the code is sent.
        await Env.Smtp.StopAsync();
        var start = await StartAsync();

        // Act 1: the worker tries and fails.
        await Env.DeliverAsync();
        var state = await Host.WithAsync<EmailSignInService, EmailSignInState?>(s => s.GetStateAsync(start.PendingKey));

        // Assert 1: the page can say so; nothing is lost.
        Assert.NotNull(state);
        Assert.True(state.DeliveryFailed);
        Assert.Equal("j***@example.com", state.MaskedEmail);

        // Act 2: the server is back; after the back-off the worker delivers it.
        await Env.Smtp.StartAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var code = await Env.DeliverAndReadCodeAsync(Address);

        // Assert 2: exactly one message, and its code signs in.
        Assert.Equal(1, Env.CountTo(Address));
        Assert.Equal(EmailStepStatus.Succeeded, (await VerifyAsync(start.PendingKey, code)).Status);
    }

    [Fact]
    public async Task StartAsync_TotpOn_UsesTotpNotEmail()
    {
        await Host.WithAsync<ConsoleDbContext, int>(db =>
        {
            db.TotpAuthenticators.Add(new RustDesk.Core.TwoFactor.TotpAuthenticator { UserId = Jane.Id, ProtectedSecret = "x" });
            return db.SaveChangesAsync();
        });

        var start = await StartAsync();
        await Env.DeliverAsync();

        Assert.Equal(SignInNextStep.Totp, start.Next);
        Assert.Equal(0, Env.CountTo(Address));
    }
}
