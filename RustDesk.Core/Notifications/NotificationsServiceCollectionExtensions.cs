using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>Security notifications to the user's address and the known devices behind "new device" mails.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.TryAddScoped<SecurityNotifier>();
        services.TryAddScoped<KnownDeviceService>();
        return services;
    }
}
