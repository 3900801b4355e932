using System.Buffers;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Streaming;

/// <summary>Turns canonical stream events into the client's wire format. One instance per stream.</summary>
public interface IStreamEncoder
{
    /// <summary>Writes the bytes for one event (possibly none).</summary>
    void Write(StreamEvent streamEvent, IBufferWriter<byte> output);

    /// <summary>Writes the end of a successful stream.</summary>
    void Complete(IBufferWriter<byte> output);

    /// <summary>Writes an error event that ends the stream cleanly.</summary>
    void WriteError(GatewayError error, IBufferWriter<byte> output);
}
