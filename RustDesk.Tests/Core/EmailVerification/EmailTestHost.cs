using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.EmailVerification;

/// <summary>Core services whose mail goes through the real outbox and MailKit to an SMTP listener on 127.0.0.1.</summary>
internal sealed class EmailTestHost : IAsyncDisposable
{
    private EmailTestHost(SmtpListener smtp, CoreHost host)
    {
        Smtp = smtp;
        Host = host;
    }

    public SmtpListener Smtp { get; }

    public CoreHost Host { get; }

    public static async Task<EmailTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var smtp = await new SmtpListener().StartAsync();
        var all = new Dictionary<string, string?>(smtp.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new EmailTestHost(smtp, await new CoreHost(all).InitializeAsync());
    }

    /// <summary>A user with an address and email login verification on (set directly, as after a confirmed address).</summary>
    public async Task<ConsoleUser> CreateVerifiedUserAsync(string userName, string password, string email, string? culture = null)
    {
        var user = await Host.CreateUserAsync(userName, password, email: email);
        await Host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.EmailLoginVerification, true)
            .SetProperty(u => u.PreferredCulture, culture)));
        return (await Host.FindUserAsync(userName))!;
    }

    /// <summary>One pass of the outbox worker, as the background service would do.</summary>
    public Task<int> DeliverAsync() => Host.Services.GetRequiredService<OutboxWorker>().ProcessDueAsync();

    /// <summary>Delivers and returns the code of the newest message to <paramref name="to"/>.</summary>
    public async Task<string> DeliverAndReadCodeAsync(string to, int previousCount = -1)
    {
        await DeliverAsync();
        var message = await Smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == to)
            && (previousCount < 0 || Smtp.Messages.Count(x => x.To.Mailboxes.Any(b => b.Address == to)) > previousCount));
        return CodeIn(Smtp.Messages.Last(m => m.To.Mailboxes.Any(b => b.Address == to)));
    }

    public int CountTo(string to) => Smtp.Messages.Count(m => m.To.Mailboxes.Any(b => b.Address == to));

    public static string CodeIn(MimeMessage message) =>
        Regex.Match(message.TextBody ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])").Value;

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
