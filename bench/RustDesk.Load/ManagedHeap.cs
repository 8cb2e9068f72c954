using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace RustDesk.Load;

/// <summary>
/// The live managed heap of another .NET process: an EventPipe session with the runtime's GCHeapCollect keyword makes
/// it run a full blocking garbage collection (as <c>dotnet-gcdump</c> does), and that collection's GCHeapStats event
/// gives the size of every generation after it. Unlike RSS, this does not depend on how much memory the collector
/// keeps committed between collections (server GC keeps a lot, and how much depends on what ran before).
/// </summary>
public static class ManagedHeap
{
    /// <summary>KB of objects that survive a full collection (generations 0–2, large and pinned object heaps).</summary>
    public static long LiveKb(int pid, TimeSpan? timeout = null)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, keywords), requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        long? liveBytes = null;
        var inducedGc = -1;
        source.Clr.GCStart += e =>
        {
            if (e.Reason == GCReason.Induced && e.Depth == 2 && inducedGc < 0)
            {
                inducedGc = e.Count;
            }
        };
        source.Clr.GCHeapStats += e =>
        {
            if (inducedGc >= 0 && liveBytes is null)
            {
                liveBytes = e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4;
                session.Stop();
            }
        };
        var reading = Task.Run(source.Process);
        if (!reading.Wait(timeout ?? TimeSpan.FromSeconds(60)))
        {
            session.Stop();
            throw new TimeoutException($"process {pid} ran no full collection for the heap reading");
        }
        return liveBytes is { } bytes ? bytes / 1024 : throw new InvalidOperationException($"no heap statistics from process {pid}");
    }
}
