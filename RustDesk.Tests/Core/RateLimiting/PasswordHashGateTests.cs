using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.RateLimiting;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.RateLimiting;

/// <summary>The gate in front of every password hash: bounded concurrency, a short queue, a busy refusal where it can be shown.</summary>
public sealed class PasswordHashGateTests
{
    [Fact]
    public async Task Run_ManyCallersAtOnce_NeverMoreThanTheConcurrencyRunTogether()
    {
        // Arrange
        using var gate = NewGate(concurrency: 2, queue: 0);
        var running = 0;
        var most = 0;
        using var start = new ManualResetEventSlim();

        // Act: 12 callers that are not refusable (they wait), each hash holding its slot until the others piled up.
        var callers = Enumerable.Range(0, 12).Select(_ => Task.Run(() => gate.Run(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            start.Wait();
            Thread.Sleep(5);
            Interlocked.Decrement(ref running);
            return now;
        }))).ToList();
        try
        {
            GateSlot.SpinUntil(() => Volatile.Read(ref running) == 2, "two hashes running");
        }
        finally
        {
            start.Set(); // lets the callers finish even when the wait above failed
        }
        await Task.WhenAll(callers);

        // Assert: all twelve ran, never more than two at once.
        Assert.Equal(2, most);
        Assert.All(callers, c => Assert.True(c.IsCompletedSuccessfully));
    }

    [Fact]
    public void Run_RefusableAndQueueFull_ThrowsBusyWithoutRunningTheHash()
    {
        using var gate = NewGate(concurrency: 1, queue: 0);
        using var holder = GateSlot.Hold(gate);
        var ran = false;

        using (PasswordHashGate.RefuseWhenBusy())
        {
            Assert.Throws<PasswordHashingBusyException>(() => gate.Run(() => ran = true));
        }

        Assert.False(ran);
    }

    [Fact]
    public async Task Run_RefusableWithRoomInTheQueue_WaitsForTheSlot()
    {
        using var gate = NewGate(concurrency: 1, queue: 1);
        var holder = GateSlot.Hold(gate);

        var waiting = Task.Run(() =>
        {
            using (PasswordHashGate.RefuseWhenBusy())
            {
                return gate.Run(() => "hashed");
            }
        });
        GateSlot.SpinUntil(() => gate.Waiting == 1, "one caller queued");
        holder.Dispose();

        Assert.Equal("hashed", await waiting);
    }

    [Fact]
    public async Task Run_QueueOfOneTaken_SecondRefusableWaiterIsRefused()
    {
        using var gate = NewGate(concurrency: 1, queue: 1);
        var holder = GateSlot.Hold(gate);
        var first = Task.Run(() =>
        {
            using (PasswordHashGate.RefuseWhenBusy())
            {
                return gate.Run(() => 1);
            }
        });
        GateSlot.SpinUntil(() => gate.Waiting == 1, "one caller queued");

        using (PasswordHashGate.RefuseWhenBusy())
        {
            Assert.Throws<PasswordHashingBusyException>(() => gate.Run(() => 2));
        }

        holder.Dispose();
        Assert.Equal(1, await first);
    }

    [Fact]
    public async Task Run_NotRefusable_WaitsEvenWithTheQueueFull()
    {
        // A signed-in user's password change or re-verification has no busy page to show: it waits its turn.
        using var gate = NewGate(concurrency: 1, queue: 0);
        var holder = GateSlot.Hold(gate);

        var waiting = Task.Run(() => gate.Run(() => "hashed"));
        // Until it either waits in the gate or has ended (a refusal would end it at once).
        Assert.True(SpinWait.SpinUntil(() => gate.WaitingTheirTurn == 1 || waiting.IsCompleted, TimeSpan.FromSeconds(30)));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, gate.Waiting); // not in the refusable callers' queue either
        holder.Dispose();

        Assert.Equal("hashed", await waiting);
    }

    [Fact]
    public async Task RefuseWhenBusy_Disposed_EndsTheMark()
    {
        using var gate = NewGate(concurrency: 1, queue: 0);
        var holder = GateSlot.Hold(gate);
        using (PasswordHashGate.RefuseWhenBusy())
        {
        }

        var waiting = Task.Run(() => gate.Run(() => 0));
        Assert.True(SpinWait.SpinUntil(() => gate.WaitingTheirTurn == 1 || waiting.IsCompleted, TimeSpan.FromSeconds(30)));
        Assert.False(waiting.IsCompleted); // waiting, not refused
        holder.Dispose();
        await waiting;
    }

    [Fact]
    public async Task PasswordSignIn_GateBusyInASignInRequest_IsRefusedAndCountsNoFailure()
    {
        // Arrange: the console's own hasher is the gated one, with one slot that is taken.
        await using var host = await new CoreHost(new Dictionary<string, string?>
        {
            ["RateLimits:PasswordHashConcurrency"] = "1",
            ["RateLimits:PasswordHashQueue"] = "0",
        }).InitializeAsync();
        Assert.IsType<GatedPasswordHasher<ConsoleUser>>(host.Services.CreateScope().ServiceProvider.GetRequiredService<IPasswordHasher<ConsoleUser>>());
        using var holder = GateSlot.Hold(host.Services.GetRequiredService<PasswordHashGate>());

        // Act
        using (PasswordHashGate.RefuseWhenBusy())
        {
            await Assert.ThrowsAsync<PasswordHashingBusyException>(() =>
                host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", "a wrong password")));
        }

        // Assert: the refused guess was not checked, so it counts nothing.
        Assert.Equal(0, (await host.FindUserAsync("admin"))!.AccessFailedCount);
    }

    [Fact]
    public async Task RunAsync_SlotTaken_ReturnsAWaitingTaskInsteadOfBlockingTheCaller()
    {
        // Arrange: the only slot is held until the call below has returned.
        using var gate = NewGate(concurrency: 1, queue: 1);
        var holder = GateSlot.Hold(gate);

        // Act: a blocking wait would not return before the holder releases, which happens only after it returned.
        var call = Task.Run(() =>
        {
            using (PasswordHashGate.RefuseWhenBusy())
            {
                return new[] { gate.RunAsync(() => Task.FromResult("hashed")) }; // an array: Task.Run would await a task
            }
        });
        var waiting = (await call.WaitAsync(TimeSpan.FromSeconds(30)))[0];

        // Assert: it queued (counted as waiting, not yet run), then ran once the slot was free.
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        holder.Dispose();
        Assert.Equal("hashed", await waiting);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task RunAsync_NotRefusable_WaitsItsTurnEvenWithTheQueueFull()
    {
        using var gate = NewGate(concurrency: 1, queue: 0);
        var holder = GateSlot.Hold(gate);

        var waiting = gate.RunAsync(() => Task.FromResult("hashed"));

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, gate.WaitingTheirTurn);
        Assert.Equal(0, gate.Waiting);
        holder.Dispose();
        Assert.Equal("hashed", await waiting);
        Assert.Equal(0, gate.WaitingTheirTurn);
    }

    [Fact]
    public async Task RunAsync_QueueFull_RefusesWithoutRunning()
    {
        using var gate = NewGate(concurrency: 1, queue: 0);
        using var holder = GateSlot.Hold(gate);
        var ran = false;

        using (PasswordHashGate.RefuseWhenBusy())
        {
            await Assert.ThrowsAsync<PasswordHashingBusyException>(() => gate.RunAsync(() => Task.FromResult(ran = true)));
        }

        Assert.False(ran);
    }

    [Fact]
    public async Task RunAsync_HashesInsideTheWork_UseItsSlotAndTheSlotIsFreedAfter()
    {
        // One slot: a hash inside the work that took another slot would wait forever (and be refused here).
        using var gate = NewGate(concurrency: 1, queue: 0);

        int hashes;
        using (PasswordHashGate.RefuseWhenBusy())
        {
            hashes = await gate.RunAsync(async () =>
            {
                var first = gate.Run(() => 1);
                await Task.Yield(); // the slot follows the flow across an await
                return first + gate.Run(() => 1);
            });
        }

        Assert.Equal(2, hashes);
        // Freed: another caller gets the slot at once, and a hash outside the work takes a slot of its own again.
        using var again = GateSlot.Hold(gate);
        using (PasswordHashGate.RefuseWhenBusy())
        {
            Assert.Throws<PasswordHashingBusyException>(() => gate.Run(() => 0));
        }
    }

    [Fact]
    public void Options_DefaultConcurrency_IsOnePerProcessor()
    {
        Assert.Equal(Environment.ProcessorCount, new RateLimitOptions().EffectiveHashConcurrency);
        Assert.Equal(3, new RateLimitOptions { PasswordHashConcurrency = 3 }.EffectiveHashConcurrency);
    }

    private static PasswordHashGate NewGate(int concurrency, int queue) =>
        new(Options.Create(new RateLimitOptions { PasswordHashConcurrency = concurrency, PasswordHashQueue = queue }),
            NullLogger<PasswordHashGate>.Instance);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
