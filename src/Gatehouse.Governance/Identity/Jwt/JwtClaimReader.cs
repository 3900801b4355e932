using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>Reads mapped claims from a validated token, accepting the shapes issuers actually send.</summary>
/// <remarks>
/// Asked for a string, <see cref="JsonWebToken.TryGetPayloadValue{T}"/> hands back an array claim as its JSON text, and
/// asked for an array it wraps a plain string in one; so the string form, which starts with <c>[</c> for arrays, decides.
/// </remarks>
internal static class JwtClaimReader
{
    /// <summary>A string claim; numbers are turned into text, and the first element of an array is taken.</summary>
    public static string? String(JsonWebToken jwt, string? claim)
    {
        if (claim is null)
        {
            return null;
        }

        if (jwt.TryGetPayloadValue<long>(claim, out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (!jwt.TryGetPayloadValue<string>(claim, out var text))
        {
            return null;
        }

        return IsArray(text) ? (jwt.TryGetPayloadValue<string[]>(claim, out var items) && items.Length > 0 ? items[0] : null) : text;
    }

    /// <summary>A list claim: a JSON array of strings, or one string of space-separated values (as in <c>scope</c>).</summary>
    public static IReadOnlyList<string> List(JsonWebToken jwt, string? claim)
    {
        if (claim is null || !jwt.TryGetPayloadValue<string>(claim, out var text))
        {
            return [];
        }

        if (IsArray(text))
        {
            return jwt.TryGetPayloadValue<string[]>(claim, out var items) ? items : [];
        }

        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static bool IsArray(string text) => text.Length > 1 && text[0] == '[' && text[^1] == ']';
}
