using Microsoft.Extensions.DependencyInjection;

namespace RustDesk.Tests.Infrastructure;

public static class ServiceCollectionDecorator
{
    /// <summary>Wraps the last registration of <typeparamref name="TService"/> (same lifetime) in <paramref name="decorate"/>.</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services,
        Func<TService, IServiceProvider, TService> decorate) where TService : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(inner);
        services.Add(new ServiceDescriptor(typeof(TService), sp => decorate((TService)Create(inner, sp), sp), inner.Lifetime));
        return services;
    }

    private static object Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
