using System.Runtime.CompilerServices;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// Runs once when the test assembly loads. The suite runs test classes in parallel on a 2-core machine: bUnit's
/// synchronous waits and the in-process consoles block thread-pool threads, and the pool grows slowly (one thread per
/// half second), so a wait could time out before its check ever ran ("the renderer's dispatcher did not run the
/// check"). Enough threads up front, and a wait timeout that reflects a loaded machine rather than a fast one; both
/// only decide how long a correct component may take, never whether a wrong one passes.
/// </summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }
}
