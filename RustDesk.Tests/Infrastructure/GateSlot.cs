using RustDesk.Core.RateLimiting;

namespace RustDesk.Tests.Infrastructure;

/// <summary>A password hash that holds one slot of a <see cref="PasswordHashGate"/> until disposed.</summary>
public static class GateSlot
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Starts a hash that does not finish until the result is disposed; returns once it holds its slot.</summary>
    public static IDisposable Hold(PasswordHashGate gate)
    {
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var hash = Task.Run(() => gate.Run(() =>
        {
            entered.Set();
            release.Wait();
            return 0;
        }));
        Assert.True(entered.Wait(Patience), $"the holding hash did not get a slot within {Patience.TotalSeconds} s");
        return new Holder(release, hash);
    }

    /// <summary>Waits (at most 10 s) until <paramref name="condition"/> holds, failing the test instead of hanging.</summary>
    public static void SpinUntil(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, Patience), $"{what} did not happen within {Patience.TotalSeconds} s");

    private sealed class Holder(ManualResetEventSlim release, Task hash) : IDisposable
    {
        public void Dispose()
        {
            release.Set();
            hash.GetAwaiter().GetResult();
        }
    }
}
