using Gatehouse.Core;

namespace Gatehouse.Server.Governance;

/// <summary>Stage 3, authorize (key part): whether the caller's key may use the requested model at all.</summary>
public static class ModelAccess
{
    /// <summary>Null when allowed; otherwise the 403 to answer.</summary>
    public static GatewayError? Check(Principal principal, string model)
    {
        if (principal.AllowedModels.Count == 0)
        {
            return null;
        }

        foreach (var pattern in principal.AllowedModels)
        {
            if (GlobMatch(pattern, model))
            {
                return null;
            }
        }

        return new GatewayError(ErrorKind.PermissionDenied, $"This API key may not use model '{model}'.", "model_not_allowed", "model");
    }

    /// <summary>Matches <paramref name="text"/> against a pattern where <c>*</c> stands for any characters.</summary>
    public static bool GlobMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.Equals(text, StringComparison.Ordinal);
        }

        if (!text.StartsWith(pattern[..star], StringComparison.Ordinal))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        text = text[star..];
        if (rest.IsEmpty)
        {
            return true;
        }

        for (var i = 0; i <= text.Length; i++)
        {
            if (GlobMatch(rest, text[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
