using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RustDesk.Core.RateLimiting;

/// <summary>
/// Bounds the CPU spent on password hashes (PBKDF2, ~0.1 s each): at most
/// <see cref="RateLimitOptions.EffectiveHashConcurrency"/> run at once, so a flood of wrong passwords cannot take
/// every core from the legitimate requests. Inside a sign-in request (marked with <see cref="RefuseWhenBusy"/> by the
/// web host, which turns the refusal into a 503 page) a hash waits in a short queue of
/// <see cref="RateLimitOptions.PasswordHashQueue"/> and at most <see cref="MaxQueueWait"/>, beyond that it is refused
/// with <see cref="PasswordHashingBusyException"/>. Every other caller (a signed-in user's password change or
/// re-verification, an administrator creating a user, the command line) waits its turn: those calls are few, need an
/// account and are bounded by the lockout, and have nobody to show a busy page to.
/// The sign-in step takes its slot with <see cref="RunAsync{T}"/>, which waits without holding a thread: a synchronous
/// wait (Identity's hasher is synchronous) parks a thread-pool thread per queued sign-in, the pool grows to replace
/// them, and its idle threads spin — measured as a fifth of the server's CPU under sign-in load (docs/performance.md).
/// </summary>
public sealed class PasswordHashGate : IDisposable
{
    /// <summary>Longest wait in the queue of a refusable caller.</summary>
    public static readonly TimeSpan MaxQueueWait = TimeSpan.FromSeconds(10);

    private static readonly AsyncLocal<bool> Refusable = new();

    /// <summary>The gate whose slot this async flow holds (taken by <see cref="RunAsync{T}"/>), so its hashes run in it.</summary>
    private static readonly AsyncLocal<PasswordHashGate?> Holder = new();

    private readonly SemaphoreSlim _slots;
    private readonly int _queueLimit;
    private readonly ILogger<PasswordHashGate> _logger;
    private int _waiting;
    private int _waitingTheirTurn;

    public PasswordHashGate(IOptions<RateLimitOptions> options, ILogger<PasswordHashGate> logger)
    {
        Concurrency = options.Value.EffectiveHashConcurrency;
        _slots = new SemaphoreSlim(Concurrency, Concurrency);
        _queueLimit = options.Value.PasswordHashQueue;
        _logger = logger;
    }

    /// <summary>Hashes that may run at once.</summary>
    public int Concurrency { get; }

    /// <summary>Refusable callers waiting for a slot right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Callers that are not refusable waiting for a slot right now (they wait however long it takes).</summary>
    public int WaitingTheirTurn => Volatile.Read(ref _waitingTheirTurn);

    /// <summary>
    /// Marks the current request (this async flow) as one whose hashes may be refused when the gate is busy; the web
    /// host does this for the sign-in endpoints, where it renders the refusal. Dispose to end the mark.
    /// </summary>
    public static IDisposable RefuseWhenBusy()
    {
        var previous = Refusable.Value;
        Refusable.Value = true;
        return new Restore(previous);
    }

    /// <summary>
    /// Takes a slot without blocking a thread while it waits (same queue and refusal as <see cref="Run{T}"/>), then runs
    /// <paramref name="work"/> holding it: the hashes <paramref name="work"/> computes through the gated hasher use this
    /// slot instead of taking another. One flow computes its hashes one after another, so the bound holds.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (ReferenceEquals(Holder.Value, this))
        {
            return await work();
        }
        if (!_slots.Wait(0))
        {
            await WaitForSlotAsync();
        }
        try
        {
            Holder.Value = this; // flows into work(); restored when this method returns
            return await work();
        }
        finally
        {
            Holder.Value = null;
            _slots.Release();
        }
    }

    /// <summary>Runs one hash computation under the gate.</summary>
    public T Run<T>(Func<T> hash)
    {
        if (ReferenceEquals(Holder.Value, this))
        {
            return hash(); // the slot of this flow, taken by RunAsync
        }
        if (!_slots.Wait(0))
        {
            WaitForSlot();
        }
        try
        {
            return hash();
        }
        finally
        {
            _slots.Release();
        }
    }

    private void WaitForSlot()
    {
        if (!Refusable.Value)
        {
            Interlocked.Increment(ref _waitingTheirTurn);
            try
            {
                _slots.Wait();
            }
            finally
            {
                Interlocked.Decrement(ref _waitingTheirTurn);
            }
            return;
        }
        EnterQueue();
        try
        {
            if (!_slots.Wait(MaxQueueWait))
            {
                throw Busy();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task WaitForSlotAsync()
    {
        if (!Refusable.Value)
        {
            Interlocked.Increment(ref _waitingTheirTurn);
            try
            {
                await _slots.WaitAsync();
            }
            finally
            {
                Interlocked.Decrement(ref _waitingTheirTurn);
            }
            return;
        }
        EnterQueue();
        try
        {
            if (!await _slots.WaitAsync(MaxQueueWait))
            {
                throw Busy();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// A refusable caller's place in the queue, counted before it waits, so that no more than the queue's length of
    /// requests ever wait here; refused when the queue is full. The caller leaves it by decrementing <see cref="_waiting"/>.
    /// </summary>
    private void EnterQueue()
    {
        if (Interlocked.Increment(ref _waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy();
        }
    }

    private PasswordHashingBusyException Busy()
    {
        _logger.LogWarning("Password hashing is busy ({Concurrency} running, queue of {Queue} full): a sign-in request was refused",
            Concurrency, _queueLimit);
        return new PasswordHashingBusyException();
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Refusable.Value = previous;
    }
}

/// <summary>A sign-in request was refused because every password-hashing slot and the queue were taken.</summary>
public sealed class PasswordHashingBusyException() : Exception("Password hashing is busy; the request was refused.");
