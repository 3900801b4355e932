namespace Gatehouse.Protocol.Canonical;

/// <summary>The kind of structured output requested.</summary>
public enum ResponseFormatKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>Any JSON object.</summary>
    JsonObject,

    /// <summary>JSON matching a schema.</summary>
    JsonSchema,
}

/// <summary>The requested output format.</summary>
public sealed record ResponseFormat(ResponseFormatKind Kind, string? SchemaName = null, string? SchemaJson = null, bool? Strict = null);
