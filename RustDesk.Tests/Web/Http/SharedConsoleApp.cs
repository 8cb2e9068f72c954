using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>One in-memory console shared by a test class whose tests change no data.</summary>
public sealed class SharedConsoleApp : IDisposable
{
    public ConsoleAppFactory App { get; } = new();

    public void Dispose() => App.Dispose();
}
