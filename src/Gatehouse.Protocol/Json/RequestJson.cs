using System.Text.Json;

namespace Gatehouse.Protocol.Json;

/// <summary>The checks every request decoder applies, for decoders that live outside this assembly (embeddings).</summary>
public static class RequestJson
{
    /// <summary>
    /// Parses a request body that must be UTF-8 JSON whose strings are all valid Unicode; a 400
    /// <see cref="Core.GatewayException"/> (<c>invalid_json</c>) says what is wrong otherwise.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body) => JsonRead.Parse(body);

    /// <summary>Refuses (400) an empty model name, one over 256 characters, or one with a control character.</summary>
    public static void CheckModelName(string model) => JsonRead.CheckModelName(model);
}
