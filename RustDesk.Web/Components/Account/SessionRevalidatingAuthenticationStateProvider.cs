using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RustDesk.Core.Sessions;

namespace RustDesk.Web.Components.Account;

/// <summary>
/// An open console page re-checks its session every <see cref="ConsoleSessionOptions.RevalidationSeconds"/>: a revoked
/// session, a disabled account or a changed security stamp (password changed elsewhere) signs the page out.
/// </summary>
public sealed class SessionRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<ConsoleSessionOptions> sessionOptions,
    IOptions<IdentityOptions> identityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(sessionOptions.Value.RevalidationSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionService>();
        var userId = state.User.FindFirst(identityOptions.Value.ClaimsIdentity.UserIdClaimType)?.Value;
        return await sessions.IsValidAsync(state.User.GetSessionId(), userId, cancellationToken);
    }
}
