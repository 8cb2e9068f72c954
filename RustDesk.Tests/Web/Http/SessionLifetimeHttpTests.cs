using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// The session cookie's lifetime through the real cookie handler, on a fake clock: a persistent cookie lasts
/// Sessions:PersistentDays and slides with the session row, a browser session slides with activity, and nothing
/// outlives Sessions:AbsoluteDays.
/// </summary>
public sealed class SessionLifetimeHttpTests : ConsoleHttpTest
{
    // Far from the real date, so that a handler reading the system clock would show.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 3, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly CookieJar _jar = new();
    private HttpClient _client = default!;

    protected override ConsoleAppFactory CreateApp() => new(time: _time, settings: new Dictionary<string, string?>
    {
        ["Sessions:PersistentDays"] = "7",
        ["Sessions:BrowserSessionHours"] = "12",
        ["Sessions:AbsoluteDays"] = "10",
    });

    protected override Task ArrangeAsync()
    {
        _client = CookielessClient();
        return Task.CompletedTask;
    }

    protected override Task CleanUpAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SignIn_RememberMe_CookieExpiresAfterPersistentDaysByTheInjectedClock()
    {
        var response = await SignInAsync(rememberMe: true);

        var cookie = SessionCookieOf(response);
        Assert.Equal(_time.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), cookie.Expires!.Value.ToUnixTimeSeconds());
        Assert.Null(cookie.MaxAge);
    }

    [Fact]
    public async Task SignIn_WithoutRememberMe_CookieStaysABrowserSessionCookie()
    {
        var response = await SignInAsync(rememberMe: false);

        var cookie = SessionCookieOf(response);
        Assert.Null(cookie.Expires);
        Assert.Null(cookie.MaxAge);
    }

    [Fact]
    public async Task BrowserSession_ActiveEveryTenHours_OutlivesTwelveHoursThenEndsTwelveHoursAfterTheLastRequest()
    {
        await SignInAsync(rememberMe: false);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromHours(10));
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/settings")).StatusCode);
        }
        _time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));

        Assert.Equal("/account/login", (await GetAsync("/settings")).RedirectTarget(_client).AbsolutePath);
    }

    [Fact]
    public async Task PersistentSession_Activity_ReissuesTheCookieWithTheRowsNewExpiry()
    {
        await SignInAsync(rememberMe: true);
        _time.Advance(TimeSpan.FromDays(2));

        var response = await GetAsync("/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = SessionCookieOf(response);
        var expected = _time.GetUtcNow().AddDays(7);
        Assert.Equal(expected.ToUnixTimeSeconds(), cookie.Expires!.Value.ToUnixTimeSeconds());
        Assert.Equal(expected.UtcDateTime, await RowExpiryAsync(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task PersistentSession_ActiveEveryDay_EndsAtTheAbsoluteLifetime()
    {
        var signedIn = _time.GetUtcNow();
        await SignInAsync(rememberMe: true);
        HttpResponseMessage last = default!;
        for (var day = 1; day <= 9; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
            last = await GetAsync("/settings");
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }
        // The last renewal already dates the cookie to the absolute end, not seven days on.
        Assert.Equal(signedIn.AddDays(10).ToUnixTimeSeconds(), SessionCookieOf(last).Expires!.Value.ToUnixTimeSeconds());

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.Equal("/account/login", (await GetAsync("/settings")).RedirectTarget(_client).AbsolutePath);
    }

    private async Task<HttpResponseMessage> SignInAsync(bool rememberMe)
    {
        var form = await _jar.SendAsync(_client, _jar.Request(HttpMethod.Get, "/account/login"), _time.GetUtcNow());
        var token = TokenIn(await form.Content.ReadAsStringAsync());
        var response = await _jar.SendAsync(_client, _jar.Request(HttpMethod.Post, "/account/login",
            new FormUrlEncodedContent(LoginFields("admin", ConsoleAppFactory.AdminPassword, rememberMe ? "true" : "false", token))), _time.GetUtcNow());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private Task<HttpResponseMessage> GetAsync(string path) =>
        _jar.SendAsync(_client, _jar.Request(HttpMethod.Get, path), _time.GetUtcNow());

    private static Microsoft.Net.Http.Headers.SetCookieHeaderValue SessionCookieOf(HttpResponseMessage response)
    {
        var header = response.SetCookie(SessionCookie);
        Assert.NotNull(header);
        return Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(header);
    }

    private async Task<DateTime> RowExpiryAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions.AsNoTracking().Select(s => s.ExpiresAt).SingleAsync();
    }
}
