using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Sessions.Devices;

public static class DevicesServiceCollectionExtensions
{
    /// <summary>The devices tab: a user's browser sessions and RustDesk client tokens, and ending them.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services)
    {
        services.TryAddScoped<DeviceService>();
        return services;
    }
}
