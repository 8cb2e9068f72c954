using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RustDesk.Tests.Infrastructure;

/// <summary>Keeps every log line so tests can assert what was (and was not) logged.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The same entries with their level, category and exception, for assertions on what kind of entry was logged.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public string AllText => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            entries.Enqueue(new LogEntry(logLevel, category, eventId, message, exception));
            lines.Enqueue($"{logLevel} {category}: {message}{(exception is null ? "" : " " + exception)}");
        }
    }
}

/// <summary>One log entry as the console wrote it.</summary>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}{(Exception is null ? "" : " " + Exception)}";
}
