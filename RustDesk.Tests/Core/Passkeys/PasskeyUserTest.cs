using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Passkeys;

/// <summary>
/// The set-up of the passkey tests: the core services, a user <c>operator</c> signed in with a stored session, and a
/// software authenticator, before each test. A class adds what it shares (a registered passkey…) in <see cref="ArrangeAsync"/>.
/// </summary>
public abstract class PasskeyUserTest : IAsyncLifetime
{
    protected CoreHost Host { get; private set; } = default!;

    protected ConsoleUser User { get; private set; } = default!;

    protected StoredSession Session { get; private set; } = default!;

    protected SoftwareAuthenticator Authenticator { get; } = new();

    public async Task InitializeAsync()
    {
        Host = await new CoreHost().InitializeAsync();
        User = await Host.CreateUserAsync("operator", "operator password 1");
        Session = await Host.StoreSessionAsync("operator");
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        Authenticator.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>What every test of the class shares besides the user and the session.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;
}
