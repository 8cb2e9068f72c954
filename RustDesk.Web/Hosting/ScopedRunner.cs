using Microsoft.AspNetCore.Components;
using RustDesk.Core.Sessions;

namespace RustDesk.Web.Hosting;

/// <summary>
/// Runs one Core call in a fresh DI scope. A circuit lives for hours; a DbContext (and Identity's tracked users)
/// kept that long would act on stale rows, so each user action gets its own scope.
/// Core checks the page's session on every call (<see cref="SessionGuard"/>); when it refuses, the page leaves: to the
/// sign-in page when the session has ended, to enrollment while the user must enroll. The call then ends as cancelled,
/// which Blazor treats as "nothing more to do" for the event or lifecycle method that made it.
/// </summary>
public sealed class ScopedRunner(IServiceScopeFactory scopes, NavigationManager navigation)
{
    /// <summary>Runs a Core call that answers nothing (cancelling, a preference).</summary>
    public Task RunAsync<TService>(Func<TService, Task> action) where TService : notnull =>
        RunAsync<TService, bool>(async service =>
        {
            await action(service);
            return true;
        });

    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await action(scope.ServiceProvider.GetRequiredService<TService>());
        }
        catch (SessionRefusedException refused)
        {
            Leave(refused.Reason);
            throw new OperationCanceledException("Core refused the page's session: " + refused.Reason, refused);
        }
    }

    /// <summary>The page's session has ended (revoked, expired, a lockout): load the sign-in page.</summary>
    public void SignedOut() => navigation.NavigateTo(ConsoleRoutes.SignIn, forceLoad: true);

    private void Leave(SessionCheck reason)
    {
        if (reason == SessionCheck.MustChangePassword)
        {
            Hold(ConsoleRoutes.ChangePassword);
        }
        else if (reason != SessionCheck.MustEnroll)
        {
            SignedOut();
        }
        else
        {
            Hold(ConsoleRoutes.Enrollment);
        }
    }

    /// <summary>Goes to <paramref name="path"/> unless the page is already there.</summary>
    private void Hold(string path)
    {
        if (!("/" + navigation.ToBaseRelativePath(navigation.Uri)).StartsWith(path, StringComparison.OrdinalIgnoreCase))
        {
            navigation.NavigateTo(path);
        }
    }
}
