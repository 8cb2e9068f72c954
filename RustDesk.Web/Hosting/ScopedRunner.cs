namespace RustDesk.Web.Hosting;

/// <summary>
/// Runs one Core call in a fresh DI scope. A circuit lives for hours; a DbContext (and Identity's tracked users)
/// kept that long would act on stale rows, so each user action gets its own scope.
/// </summary>
public sealed class ScopedRunner(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
