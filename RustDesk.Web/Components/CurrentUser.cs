using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RustDesk.Core.Sessions;

namespace RustDesk.Web.Components;

/// <summary>
/// Who is looking at the page: the one reading of the authentication state's claims. Every component gets it as a
/// cascading <c>Task&lt;CurrentUser&gt;</c> (<see cref="CurrentUserCascade.AddCurrentUser"/>), built once per circuit
/// or request and again only when the authentication state changes. What the roles allow is Core's question
/// (<c>StaffPermissions</c>); the roles here only decide what a page offers.
/// </summary>
/// <param name="UserId">Null when nobody is signed in.</param>
/// <param name="SessionId">The browser session the page's Core calls are checked against (<see cref="SessionGuard"/>).</param>
public sealed record CurrentUser(string? UserId, string? SessionId, string? UserName, IReadOnlySet<string> Roles)
{
    public static readonly CurrentUser Anonymous = new(null, null, null, new HashSet<string>());

    public bool IsAuthenticated { get; init; }

    public bool IsAdministrator => Roles.Contains(RustDesk.Core.Accounts.Roles.Administrator);

    public bool IsStaff => IsAdministrator || Roles.Contains(RustDesk.Core.Accounts.Roles.Support);

    /// <summary>Reads <paramref name="principal"/> with the claim types Identity writes.</summary>
    public static CurrentUser From(ClaimsPrincipal principal, ClaimsIdentityOptions claims) =>
        new(principal.FindFirst(claims.UserIdClaimType)?.Value, principal.GetSessionId(), principal.Identity?.Name,
            principal.FindAll(claims.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal))
        {
            IsAuthenticated = principal.Identity?.IsAuthenticated == true,
        };
}

/// <summary>Provides <see cref="CurrentUser"/> to every component, the way <c>AddCascadingAuthenticationState</c> provides the state.</summary>
public static class CurrentUserCascade
{
    /// <summary>
    /// Registers the cascading <c>Task&lt;CurrentUser&gt;</c>, read from the <see cref="AuthenticationStateProvider"/>;
    /// without one (a host that has no authentication) nobody is signed in.
    /// </summary>
    public static IServiceCollection AddCurrentUser(this IServiceCollection services) =>
        services.AddCascadingValue(sp => sp.GetService<AuthenticationStateProvider>() is { } provider
            ? new Source(provider, sp.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity)
            : new CascadingValueSource<Task<CurrentUser>>(Task.FromResult(CurrentUser.Anonymous), isFixed: true));

    private sealed class Source : CascadingValueSource<Task<CurrentUser>>, IDisposable
    {
        private readonly AuthenticationStateProvider _provider;
        private readonly ClaimsIdentityOptions _claims;

        public Source(AuthenticationStateProvider provider, ClaimsIdentityOptions claims)
            : base(() => ReadAsync(provider.GetAuthenticationStateAsync(), claims), isFixed: false)
        {
            _provider = provider;
            _claims = claims;
            _provider.AuthenticationStateChanged += Changed;
        }

        public void Dispose() => _provider.AuthenticationStateChanged -= Changed;

        private void Changed(Task<AuthenticationState> state) => _ = NotifyChangedAsync(ReadAsync(state, _claims));

        private static async Task<CurrentUser> ReadAsync(Task<AuthenticationState> state, ClaimsIdentityOptions claims) =>
            CurrentUser.From((await state).User, claims);
    }
}
