using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Authentication;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// The sign-in steps: the password, the pending sign-in between password and second factor, the TOTP, emailed-code and passkey steps and passwordless sign-in.
    /// (Named for what it registers; <c>AddAuthentication</c> is ASP.NET Core's cookie handler, set up by the web host.)
    /// </summary>
    public static IServiceCollection AddSignInSteps(this IServiceCollection services)
    {
        services.TryAddScoped<PasswordSignInService>();
        services.TryAddScoped<PendingSignInService>();
        services.TryAddScoped<SecondFactorSignInService>();
        services.TryAddScoped<EmailSignInService>();
        services.TryAddScoped<PasskeySignInService>();
        return services;
    }
}
