using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.EmailVerification;

/// <summary>
/// The set-up of the tests of emailed codes: the core services with an SMTP listener (<see cref="EmailTestHost"/>)
/// and Jane, whose address is confirmed, before each test.
/// </summary>
public abstract class VerifiedEmailUserTest : IAsyncLifetime
{
    protected const string Address = "jane@example.com";

    private protected EmailTestHost Env { get; private set; } = default!;

    /// <summary>Jane, with <see cref="Address"/> confirmed.</summary>
    protected ConsoleUser Jane { get; private set; } = default!;

    protected CoreHost Host => Env.Host;

    public async Task InitializeAsync()
    {
        Env = await EmailTestHost.StartAsync();
        Jane = await Env.CreateVerifiedUserAsync("Jane", "jane password 1", Address);
    }

    public async Task DisposeAsync() => await Env.DisposeAsync();
}
