using System.Buffers;
using System.Text.Json;

namespace Gatehouse.Protocol.Json;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> per thread for short, synchronous writes on the request path (no await between
/// <see cref="Rent"/> and <see cref="Return"/>), so a request does not allocate a writer for each small JSON it writes.
/// </summary>
public static class ReusedJsonWriter
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_relaxed;

    [ThreadStatic]
    private static Utf8JsonWriter? t_escaped;

    /// <summary>
    /// A writer into <paramref name="output"/>: with <see cref="JsonWriting.Options"/> when <paramref name="relaxed"/>,
    /// else with the default escaping. A nested rent on the same thread gets a new writer.
    /// </summary>
    public static Utf8JsonWriter Rent(IBufferWriter<byte> output, bool relaxed)
    {
        ref var slot = ref relaxed ? ref t_relaxed : ref t_escaped;
        var writer = slot;
        if (writer is null)
        {
            return relaxed ? new Utf8JsonWriter(output, JsonWriting.Options) : new Utf8JsonWriter(output);
        }

        slot = null;
        writer.Reset(output);
        return writer;
    }

    /// <summary>Flushes <paramref name="writer"/> into its output and keeps it for the thread's next rent.</summary>
    public static void Return(Utf8JsonWriter writer, bool relaxed)
    {
        writer.Flush();
        if (relaxed)
        {
            t_relaxed = writer;
        }
        else
        {
            t_escaped = writer;
        }
    }
}
