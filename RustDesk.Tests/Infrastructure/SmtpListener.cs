using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1, in process, that keeps every message it receives as a
/// parsed <see cref="MimeMessage"/>. It stops and starts again on the same port, so a test can take the mail server
/// away and bring it back. Plain SMTP, no TLS: point the console at it with <c>Smtp:Security = None</c>.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _received = new(0);
    private CancellationTokenSource? _stop;
    private Task? _running;

    public SmtpListener(int? port = null) => Port = port ?? FreePort();

    public string Host => "127.0.0.1";

    public int Port { get; }

    public bool IsRunning => _running is { IsCompleted: false };

    /// <summary>Every message received so far, in order of arrival.</summary>
    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>Configuration that sends the console's mail here.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Smtp:Host"] = Host,
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = "RustDesk Console <console@example.com>",
    };

    /// <summary>Starts listening and returns once the port accepts connections.</summary>
    public async Task<SmtpListener> StartAsync()
    {
        if (IsRunning)
        {
            return this;
        }
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new CapturingStore(this));
        var server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = server.StartAsync(_stop.Token);
        await WaitUntilAsync(CanConnectAsync, TimeSpan.FromSeconds(10), "the SMTP listener did not start");
        return this;
    }

    /// <summary>Stops listening; afterwards a connection to the port is refused.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || _running is null)
        {
            return;
        }
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _stop = null;
        _running = null;
        await WaitUntilAsync(async () => !await CanConnectAsync(), TimeSpan.FromSeconds(10), "the SMTP listener did not stop");
    }

    /// <summary>The first received message (already here or arriving within <paramref name="timeout"/>) that matches.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> predicate, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_messages.FirstOrDefault(predicate) is { } found)
            {
                return found;
            }
            try
            {
                await _received.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching message arrived; received {_messages.Count}: " +
                    string.Join("; ", _messages.Select(m => $"{m.To} '{m.Subject}'")));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _received.Dispose();
    }

    private async Task<bool> CanConnectAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > timeout)
            {
                throw new TimeoutException(failure);
            }
            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class CapturingStore(SmtpListener owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream();
            foreach (var segment in buffer)
            {
                await stream.WriteAsync(segment, cancellationToken);
            }
            stream.Position = 0;
            owner._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            owner._received.Release();
            return SmtpResponse.Ok;
        }
    }
}
