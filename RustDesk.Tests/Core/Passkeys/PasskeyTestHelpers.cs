using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Passkeys;

internal static class PasskeyTestHelpers
{
    /// <summary>Registers <paramref name="authenticator"/> for the session's user the way the Security tab does (after a grant).</summary>
    public static async Task<PasskeyChangeResult> RegisterAsync(CoreHost host, StoredSession session, SoftwareAuthenticator authenticator,
        string name = "Laptop")
    {
        await TestSessions.GrantAsync(host.Services, session.SessionId);
        var begin = await host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.BeginRegistrationAsync(session.UserId, session.SessionId));
        Assert.Equal(PasskeyChangeStatus.Done, begin.Status);
        var answer = authenticator.Create(begin.OptionsJson!);
        return await host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.FinishRegistrationAsync(session.UserId, session.SessionId, name, answer));
    }

    public static async Task<List<PasskeyCredential>> PasskeysAsync(CoreHost host, string userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().PasskeyCredentials.AsNoTracking()
            .Where(p => p.UserId == userId).ToListAsync();
    }
}
