using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol;

/// <summary>Checks tool names against the rule every major provider shares: 1–64 of [a-zA-Z0-9_-].</summary>
internal static class ToolNames
{
    public static void Validate(string name, string path)
    {
        if (name.Length is 0 or > 64)
        {
            throw JsonRead.Invalid($"'{path}' must be 1 to 64 characters long.", path);
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-' && c != '.')
            {
                throw JsonRead.Invalid($"'{path}' may contain only letters, digits, '_', '-' and '.'; got \"{name}\".", path);
            }
        }
    }
}
