using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Web.MultiInstance;

/// <summary>
/// Two consoles on one database behind nginx: whatever one console decides about a session, a code or a lockout holds
/// on the other, and the mail outbox sends each message once. Each test pins its clients to a console by nginx's
/// route cookie and checks, by nginx's upstream header, that the request really went there.
/// </summary>
public sealed class MultiInstanceHttpTests(TwoConsolesBehindNginx consoles) : IClassFixture<TwoConsolesBehindNginx>
{
    private const string TotpPath = "/account/login/2fa";
    private const string Incorrect = "The verification code is incorrect or has expired.";

    private async Task<HttpResponseMessage> GetOnAsync(PinnedClient client, string path, string upstream)
    {
        var response = await client.Http.GetAsync(path);
        Assert.Equal(upstream, response.Headers.GetValues(NginxProxy.UpstreamHeader).Single());
        return response;
    }

    /// <summary>The password step through nginx; returns the client at the TOTP step with that page's token.</summary>
    private static async Task<string> AtTotpStepAsync(PinnedClient client, string userName)
    {
        var response = await client.Http.SignInAsync(userName, TwoConsolesBehindNginx.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(TotpPath, PathOf(response));
        return await client.Http.GetAntiforgeryTokenAsync(TotpPath);
    }

    /// <summary>The path of a redirect's target (the consoles answer absolute URLs on nginx's address).</summary>
    private static string PathOf(HttpResponseMessage response) => response.Headers.Location is { IsAbsoluteUri: true } target
        ? target.PathAndQuery
        : response.Headers.Location!.OriginalString;

    private static Task<HttpResponseMessage> PostCodeAsync(PinnedClient client, string token, string code) =>
        client.Http.PostAsync(TotpPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa",
            [ConsoleHttp.TokenField] = token,
            ["Input.Code"] = code,
        }));

    [Fact]
    public async Task SessionCookie_IssuedByOneConsole_IsHonouredByTheOther()
    {
        await consoles.CreateUserAsync("multi-session");
        var client = consoles.Client(consoles.RouteToA);
        var signedIn = await client.Http.SignInAsync("multi-session", TwoConsolesBehindNginx.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(consoles.UpstreamA, signedIn.Headers.GetValues(NginxProxy.UpstreamHeader).Single());

        client.PinTo(consoles.RouteToB);
        var settings = await GetOnAsync(client, "/settings", consoles.UpstreamB);

        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Contains("multi-session", await settings.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("totp", true)]
    [InlineData("backup", false)]
    public async Task SecondStepCode_UsedOnOneConsole_IsRefusedOnTheOther(string kind, bool firstOnA)
    {
        var userName = "multi-" + kind;
        var user = await consoles.CreateUserAsync(userName);
        var (key, backupCode) = await SeedTotpAsync(consoles.A.Services, user.Id);
        var code = kind == "totp" ? TotpCode(key, DateTimeOffset.UtcNow) : backupCode;
        var (first, second) = firstOnA ? (consoles.RouteToA, consoles.RouteToB) : (consoles.RouteToB, consoles.RouteToA);
        var (firstClient, secondClient) = (consoles.Client(first), consoles.Client(second));

        // One sign-in after the other: a new password step ends the user's earlier pending sign-in.
        var used = await PostCodeAsync(firstClient, await AtTotpStepAsync(firstClient, userName), code);
        var replay = await PostCodeAsync(secondClient, await AtTotpStepAsync(secondClient, userName), code);

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(firstOnA ? consoles.UpstreamA : consoles.UpstreamB, used.Headers.GetValues(NginxProxy.UpstreamHeader).Single());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstOnA ? consoles.UpstreamB : consoles.UpstreamA, replay.Headers.GetValues(NginxProxy.UpstreamHeader).Single());
        Assert.Null(replay.SetCookie(ConsoleHttp.SessionCookie));
        Assert.Equal(Incorrect, await ConsoleHttp.TextOfAsync(replay, "verify-error"));
    }

    [Fact]
    public async Task DeviceRevokedOnOneConsole_IsSignedOutOnTheOther()
    {
        var user = await consoles.CreateUserAsync("multi-devices");
        var laptop = consoles.Client(consoles.RouteToA);
        var phone = consoles.Client(consoles.RouteToB);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.Http.SignInAsync("multi-devices", TwoConsolesBehindNginx.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetOnAsync(phone, "/account/login", consoles.UpstreamB)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Http.SignInAsync("multi-devices", TwoConsolesBehindNginx.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetOnAsync(phone, "/settings", consoles.UpstreamB)).StatusCode);
        string laptopSession, phoneSession;
        await using (var scope = consoles.A.Services.CreateAsyncScope())
        {
            var sessions = await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions
                .Where(s => s.UserId == user.Id).OrderBy(s => s.CreatedAt).Select(s => s.Id).ToListAsync();
            Assert.Equal(2, sessions.Count);
            (laptopSession, phoneSession) = (sessions[0], sessions[1]);
        }

        // The laptop's console (A) ends the phone's session, as the Devices tab does.
        await using (var scope = consoles.A.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<DeviceService>().RevokeAsync(user.Id, laptopSession, phoneSession);
            Assert.Equal(RevokeStatus.Revoked, result.Status);
        }
        var afterRevoke = await GetOnAsync(phone, "/settings", consoles.UpstreamB);

        Assert.Equal(HttpStatusCode.Redirect, afterRevoke.StatusCode);
        Assert.StartsWith("/account/login", PathOf(afterRevoke));
        laptop.PinTo(consoles.RouteToB);
        Assert.Equal(HttpStatusCode.OK, (await GetOnAsync(laptop, "/settings", consoles.UpstreamB)).StatusCode);
    }

    [Fact]
    public async Task Lockout_CountedOnBothConsoles_HoldsOnEither()
    {
        await consoles.CreateUserAsync("multi-lockout");
        var onA = consoles.Client(consoles.RouteToA);
        var onB = consoles.Client(consoles.RouteToB);

        // Ten wrong passwords (the default limit), alternating between the consoles.
        for (var i = 0; i < 10; i++)
        {
            var response = await (i % 2 == 0 ? onA : onB).Http.SignInAsync("multi-lockout", "a wrong password " + i);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var right = await onA.Http.SignInAsync("multi-lockout", TwoConsolesBehindNginx.Password);
        var rightOnB = await onB.Http.SignInAsync("multi-lockout", TwoConsolesBehindNginx.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(right, "login-error"));
        Assert.Equal(HttpStatusCode.OK, rightOnB.StatusCode);
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(rightOnB, "login-error"));
        Assert.Equal(10, (await UserAsync(consoles.B.Services, "multi-lockout")).ConsecutiveFailures);
    }

    [Fact]
    public async Task MailOutbox_BothConsolesWorking_SendsEachMessageOnce()
    {
        const int PerConsole = 15;
        var before = consoles.Smtp.Messages.Count;
        var subjects = new List<string>();
        foreach (var (app, name) in new[] { (consoles.A, "A"), (consoles.B, "B") })
        {
            for (var i = 0; i < PerConsole; i++)
            {
                var subject = $"multi-outbox {name} {i}";
                subjects.Add(subject);
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MailOutbox>().EnqueueAsync(
                    new MailMessageContent("someone@example.com", subject, "text", "<p>text</p>", MailCategories.SmtpTest));
            }
        }

        // Both workers poll every second and race for the same rows; wait until all are sent, then until each worker
        // has ended two more passes (its "idle" line): a duplicate would come from a pass still running at that point.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Received().Count < subjects.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        var (passesA, passesB) = (PassesOf(consoles.A), PassesOf(consoles.B));
        while ((PassesOf(consoles.A) < passesA + 2 || PassesOf(consoles.B) < passesB + 2) && DateTime.UtcNow < deadline.AddSeconds(30))
        {
            await Task.Delay(200);
        }
        Assert.True(PassesOf(consoles.A) >= passesA + 2 && PassesOf(consoles.B) >= passesB + 2, "a mail outbox worker stopped passing");

        var received = Received();
        Assert.Equal(subjects.Order(), received.Order());
        await using (var scope = consoles.B.Services.CreateAsyncScope())
        {
            var states = await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().OutboxMessages
                .Where(m => m.Subject.StartsWith("multi-outbox")).Select(m => m.Status).ToListAsync();
            Assert.Equal(subjects.Count, states.Count);
            Assert.All(states, s => Assert.Equal(OutboxStatus.Sent, s));
        }

        static int PassesOf(ConsoleAppFactory app) => app.Logs.Entries.Count(e =>
            e.Category == typeof(OutboxWorker).FullName && e.Message.StartsWith("Mail outbox worker idle", StringComparison.Ordinal));

        List<string> Received() => consoles.Smtp.Messages.Skip(before).Select(m => m.Subject ?? "").Where(s => s.StartsWith("multi-outbox", StringComparison.Ordinal)).ToList();
    }
}
