using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// A positive signal that the console's interactive circuits have been torn down, for browser tests that assert what
/// the server logged when a tab went away (the console itself has no such signal). Added to a test host through
/// <see cref="ConsoleAppFactory"/>'s test-services hook with <see cref="AddTo"/>.
/// </summary>
/// <remarks>
/// One <see cref="CircuitHandler"/> per circuit (scoped: the circuit resolves its handlers from its own scope). A circuit
/// counts as created when its handler is made (the circuit host is being built) and as closed when its scope is
/// disposed: the circuit host disposes the renderer (every component) first and the scope after it, so by then every
/// component's teardown, and whatever it logged, is done. A test waits on a <see cref="TaskCompletionSource"/> with a
/// generous time limit, never a fixed sleep.
/// </remarks>
public sealed class CircuitTracker
{
    private readonly object _gate = new();
    private readonly List<(Func<bool> Reached, TaskCompletionSource Signal)> _waiters = [];
    private int _created;
    private int _opened;
    private int _connectionsDown;
    private int _closed;

    /// <summary>Circuits whose host was built (each has its own handler).</summary>
    public int Created => Read(() => _created);

    /// <summary>Circuits whose scope (and with it every component) has been disposed.</summary>
    public int Closed => Read(() => _closed);

    /// <summary>
    /// Registers the tracking handler and shortens the circuit lifetimes: a disconnected circuit is kept for
    /// <paramref name="retention"/> (3 minutes by default) before it is disposed; <paramref name="jsCallTimeout"/>
    /// (1 minute by default) bounds an unanswered JavaScript call. Keep the timeout shorter than the retention, as the
    /// defaults are, so a call left unanswered by a tab that went away times out while its circuit is still kept.
    /// </summary>
    public void AddTo(IServiceCollection services, TimeSpan retention, TimeSpan? jsCallTimeout = null)
    {
        services.AddScoped<CircuitHandler>(_ => new TrackingHandler(this));
        services.Configure<CircuitOptions>(options =>
        {
            options.DisconnectedCircuitRetentionPeriod = retention;
            if (jsCallTimeout is { } timeout)
            {
                options.JSInteropDefaultCallTimeout = timeout;
            }
        });
    }

    /// <summary>Completes once at least <paramref name="count"/> circuits have opened (their components are rendering).</summary>
    public Task WaitForOpenedAsync(int count, TimeSpan timeout) =>
        WaitAsync(() => _opened >= count, timeout, $"{count} circuit(s) opened");

    /// <summary>
    /// Completes once at least <paramref name="atLeast"/> circuits were created and every circuit created so far has
    /// been disposed. Call it after the tabs are closed, so no new circuit can start.
    /// </summary>
    public Task WaitForAllClosedAsync(int atLeast, TimeSpan timeout) =>
        WaitAsync(() => _created >= atLeast && _closed == _created, timeout, $"all of at least {atLeast} circuit(s) closed");

    public override string ToString()
    {
        lock (_gate)
        {
            return $"{_created} created, {_opened} opened, {_connectionsDown} connection(s) down, {_closed} closed";
        }
    }

    private async Task WaitAsync(Func<bool> reached, TimeSpan timeout, string what)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (reached())
            {
                return;
            }
            _waiters.Add((reached, signal));
        }
        try
        {
            await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {timeout} for {what}; circuits: {this}.");
        }
    }

    private void Change(Action change)
    {
        List<TaskCompletionSource> reached = [];
        lock (_gate)
        {
            change();
            foreach (var waiter in _waiters.Where(w => w.Reached()).ToList())
            {
                _waiters.Remove(waiter);
                reached.Add(waiter.Signal);
            }
        }
        foreach (var signal in reached)
        {
            signal.TrySetResult();
        }
    }

    private int Read(Func<int> value)
    {
        lock (_gate)
        {
            return value();
        }
    }

    private sealed class TrackingHandler : CircuitHandler, IAsyncDisposable
    {
        private readonly CircuitTracker _tracker;

        public TrackingHandler(CircuitTracker tracker)
        {
            _tracker = tracker;
            tracker.Change(() => tracker._created++);
        }

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            _tracker.Change(() => _tracker._opened++);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            _tracker.Change(() => _tracker._connectionsDown++);
            return Task.CompletedTask;
        }

        /// <summary>The circuit's scope is disposed after its renderer: the last step of its teardown.</summary>
        public ValueTask DisposeAsync()
        {
            _tracker.Change(() => _tracker._closed++);
            return ValueTask.CompletedTask;
        }
    }
}
