using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gatehouse.Protocol.Json;

/// <summary>Shared writer options: UTF-8 text is written as is (no \u escapes for quotes or non-ASCII), as providers do.</summary>
public static class JsonWriting
{
    /// <summary>Options for every JSON the gateway writes to clients and upstreams.</summary>
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
}
