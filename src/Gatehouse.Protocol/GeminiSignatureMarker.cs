namespace Gatehouse.Protocol;

/// <summary>
/// Carries a Gemini thought signature through an Anthropic-dialect client inside a thinking block's signature,
/// marked so the gateway can tell it from Anthropic's own signatures when the client sends it back.
/// </summary>
public static class GeminiSignatureMarker
{
    private const string Prefix = "gatehouse.gemini:";

    /// <summary>Wraps a Gemini signature.</summary>
    public static string Wrap(string signature) => Prefix + signature;

    /// <summary>Unwraps a signature if it is a wrapped Gemini one.</summary>
    public static bool TryUnwrap(string? signature, out string gemini)
    {
        if (signature is not null && signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            gemini = signature[Prefix.Length..];
            return true;
        }

        gemini = string.Empty;
        return false;
    }
}
