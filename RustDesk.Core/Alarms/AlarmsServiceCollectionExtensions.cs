using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Alarms;

public static class AlarmsServiceCollectionExtensions
{
    /// <summary>Failed sign-in alarms for the administrators who asked for them.</summary>
    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddOptions<AlarmOptions>().BindConfiguration(AlarmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<AlarmService>();
        return services;
    }
}
