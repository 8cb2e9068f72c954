using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Administration;
using RustDesk.Core.Alarms;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Mail;
using RustDesk.Core.Notifications;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Core.RateLimiting;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Recovery;
using RustDesk.Core.Security;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;

namespace RustDesk.Core;

/// <summary>
/// The console's features, one line each, from the bottom of the layering (docs/architecture.md) to the top. Each
/// feature folder registers its own services and options next to its code; this list is the only place that knows
/// them all (the web host adds Data Protection, the cookie handler and the pages; tests use the same list).
/// </summary>
public static class ConsoleFeatures
{
    public static IServiceCollection AddConsoleFeatures(this IServiceCollection services, DatabaseSettings database)
    {
        services.AddDatabase(database);
        services.AddSecurity();
        services.AddRateLimiting();
        services.AddAccounts();
        services.AddSessions();
        services.AddAudit();
        services.AddMail();
        services.AddNotifications();
        services.AddAlarms();
        services.AddLockout();
        services.AddTwoFactor();
        services.AddPasskeys();
        services.AddReVerification();
        services.AddEmailVerification();
        services.AddAccountSettings();
        services.AddTwoFactorSettings();
        services.AddPasskeySettings();
        services.AddSignInSteps();
        services.AddAdministration();
        services.AddRecovery();
        services.AddClientApi();
        services.AddDevices();
        return services;
    }
}
