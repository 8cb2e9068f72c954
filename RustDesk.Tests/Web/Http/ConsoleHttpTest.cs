using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// The base of the HTTP tests that each need a console of their own: the real console in memory on a fresh
/// database (<see cref="ConsoleAppFactory"/>, made by <see cref="CreateApp"/> on first use), clients that behave like
/// a browser, users and signed-in clients. What a browser does with the forms is in <see cref="ConsoleHttp"/>.
/// Test classes whose tests change no data share one console instead (<see cref="SharedConsoleApp"/>).
/// </summary>
public abstract class ConsoleHttpTest : IAsyncLifetime
{
    /// <summary>The password the tests give the users they create.</summary>
    protected const string UserPassword = "correct horse battery";

    private ConsoleAppFactory? _app;

    /// <summary>The console under test, started on first use.</summary>
    protected ConsoleAppFactory App => _app ??= CreateApp();

    /// <summary>Configuration the class's console starts with (limits, lifetimes…); none by default.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>The console this class needs (a fake clock, services…); by default the plain one with <see cref="Settings"/>.</summary>
    protected virtual ConsoleAppFactory CreateApp() => new(settings: Settings);

    public async Task InitializeAsync() => await ArrangeAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await CleanUpAsync();
    }

    /// <summary>What every test of the class shares (users, 2FA…), before each test.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>What the class started besides the console (an SMTP listener…), stopped after the console.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <summary>A client that keeps cookies like a browser and shows redirects instead of following them.</summary>
    protected HttpClient Browser() => App.NewClient();

    /// <summary>A client that keeps no cookies: each request carries exactly what the test gives it.</summary>
    protected HttpClient CookielessClient() => App.NewClient(cookies: false);

    /// <summary>A browser signed in as <paramref name="userName"/> through the sign-in form (no second step).</summary>
    protected async Task<HttpClient> SignedInAsync(string userName, string password = UserPassword)
    {
        var client = Browser();
        var response = await client.SignInAsync(userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/account/login", response.Headers.Location!.OriginalString);
        return client;
    }

    /// <summary>A browser signed in as the first administrator.</summary>
    protected Task<HttpClient> SignedInAsAdminAsync() => SignedInAsync("admin", ConsoleAppFactory.AdminPassword);

    /// <summary>Creates a user with <paramref name="role"/> through Identity, as staff would.</summary>
    protected async Task<ConsoleUser> CreateUserAsync(string userName, string role = Roles.User, string? email = null,
        string password = UserPassword)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = email, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    /// <summary>Runs <paramref name="action"/> with <typeparamref name="TService"/> from a fresh scope of the console.</summary>
    protected async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
