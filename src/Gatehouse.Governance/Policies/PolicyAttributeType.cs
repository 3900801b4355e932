namespace Gatehouse.Governance.Policies;

/// <summary>The CEL type of an attribute conditions can read.</summary>
public enum PolicyAttributeType
{
    /// <summary>A string.</summary>
    String,

    /// <summary>A 64-bit integer.</summary>
    Int,

    /// <summary>A boolean.</summary>
    Bool,

    /// <summary>A CEL timestamp; <c>int(t)</c> gives unix seconds, <c>timestamp("RFC3339")</c> builds one to compare.</summary>
    Timestamp,

    /// <summary>A list of strings (use <c>"x" in list</c>).</summary>
    StringList,

    /// <summary>A map from string to string (use <c>"k" in map</c> before <c>map["k"]</c>).</summary>
    StringMap,
}
