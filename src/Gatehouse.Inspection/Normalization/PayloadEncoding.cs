namespace Gatehouse.Inspection.Normalization;

/// <summary>How an embedded payload was encoded.</summary>
public enum PayloadEncoding
{
    /// <summary>Standard or URL-safe base64.</summary>
    Base64,

    /// <summary>Hexadecimal bytes, optionally with <c>\x</c> or <c>0x</c> prefixes.</summary>
    Hex,

    /// <summary>Percent-encoding (<c>%69%67%6E</c>).</summary>
    Url,
}
