using System.Threading.Channels;

namespace RustDesk.Core.Mail;

/// <summary>
/// Wakes this instance's <see cref="OutboxWorker"/> when a message is queued, so delivery starts at once instead of
/// at the next poll. One pending wake-up is enough: the worker then takes every due message.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or when <paramref name="timeout"/> (measured by <paramref name="time"/>) has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!_channel.Reader.TryRead(out _))
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, waiting.Token);
            var signal = _channel.Reader.WaitToReadAsync(waiting.Token).AsTask();
            await Task.WhenAny(delay, signal);
            await waiting.CancelAsync();
            _channel.Reader.TryRead(out _);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
