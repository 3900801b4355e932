using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Telemetry;

/// <summary>
/// The process and garbage-collector figures of the Prometheus exposition: resident memory, CPU time, threads, the
/// managed heap and what has been allocated on it. Read when /metrics is scraped, never on the request path.
/// </summary>
internal static class RuntimeMetrics
{
    /// <summary>Appends the process_* and dotnet_* series to <paramref name="o"/>.</summary>
    public static void Write(StringBuilder o)
    {
        using var process = Process.GetCurrentProcess();
        GatewayMetrics.Header(o, "process_resident_memory_bytes", "gauge", "Resident set size of the gateway process.");
        Line(o, "process_resident_memory_bytes", process.WorkingSet64);
        GatewayMetrics.Header(o, "process_cpu_seconds_total", "counter", "User and system CPU time of the gateway process.");
        o.Append("process_cpu_seconds_total ").Append(process.TotalProcessorTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        GatewayMetrics.Header(o, "process_threads", "gauge", "Operating-system threads of the gateway process.");
        Line(o, "process_threads", process.Threads.Count);

        var info = GC.GetGCMemoryInfo();
        GatewayMetrics.Header(o, "dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last garbage collection.");
        Line(o, "dotnet_gc_heap_size_bytes", info.HeapSizeBytes);
        GatewayMetrics.Header(o, "dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed.");
        Line(o, "dotnet_gc_committed_bytes", info.TotalCommittedBytes);
        GatewayMetrics.Header(o, "dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since start.");
        Line(o, "dotnet_gc_allocated_bytes_total", GC.GetTotalAllocatedBytes());
        GatewayMetrics.Header(o, "dotnet_gc_collections_total", "counter", "Garbage collections, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            o.Append("dotnet_gc_collections_total{generation=\"").Append(generation).Append("\"} ").Append(GC.CollectionCount(generation)).Append('\n');
        }

        GatewayMetrics.Header(o, "dotnet_gc_pause_seconds_total", "counter", "Time the garbage collector paused the process.");
        o.Append("dotnet_gc_pause_seconds_total ").Append(GC.GetTotalPauseDuration().TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');

        var last = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        GatewayMetrics.Header(o, "dotnet_gc_last_ephemeral_index", "gauge", "Number of the last gen0 or gen1 collection (changes when a new one ran).");
        Line(o, "dotnet_gc_last_ephemeral_index", last.Index);
        GatewayMetrics.Header(o, "dotnet_gc_last_ephemeral_generation", "gauge", "Generation the last gen0 or gen1 collection condemned.");
        Line(o, "dotnet_gc_last_ephemeral_generation", last.Generation);
        GatewayMetrics.Header(o, "dotnet_gc_last_ephemeral_pause_seconds", "gauge", "How long the last gen0 or gen1 collection paused the process.");
        o.Append("dotnet_gc_last_ephemeral_pause_seconds ").Append(last.PauseDurations[0].TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        GatewayMetrics.Header(o, "dotnet_gc_last_ephemeral_promoted_bytes", "gauge", "Bytes the last gen0 or gen1 collection kept alive and promoted.");
        Line(o, "dotnet_gc_last_ephemeral_promoted_bytes", last.PromotedBytes);
        GatewayMetrics.Header(o, "dotnet_gc_last_ephemeral_pinned_objects", "gauge", "Pinned objects the last gen0 or gen1 collection found.");
        Line(o, "dotnet_gc_last_ephemeral_pinned_objects", last.PinnedObjectsCount);
    }

    private static void Line(StringBuilder o, string name, long value) => o.Append(name).Append(' ').Append(value).Append('\n');
}
