using System.Text;

namespace Gatehouse.Server.Config;

/// <summary>Expands <c>${env:NAME}</c> and <c>${env:NAME:-default}</c> in configuration values.</summary>
public sealed class EnvInterpolator
{
    private readonly Func<string, string?> _lookup;

    /// <summary>Creates an interpolator over a variable lookup (the process environment by default).</summary>
    public EnvInterpolator(Func<string, string?>? lookup = null) => _lookup = lookup ?? Environment.GetEnvironmentVariable;

    /// <summary>Expands the value; returns an error message instead when a variable is missing or the syntax is wrong.</summary>
    public string Expand(string value, out string? error)
    {
        error = null;
        var start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var position = 0;
        while (start >= 0)
        {
            result.Append(value, position, start - position);
            var end = value.IndexOf('}', start);
            if (end < 0)
            {
                error = $"unterminated '${{' in \"{value}\"; write ${{env:NAME}}";
                return value;
            }

            var expression = value[(start + 2)..end];
            if (!expression.StartsWith("env:", StringComparison.Ordinal))
            {
                error = $"'${{{expression}}}' is not supported; write ${{env:NAME}} or ${{env:NAME:-default}}";
                return value;
            }

            var name = expression[4..];
            string? fallback = null;
            var dash = name.IndexOf(":-", StringComparison.Ordinal);
            if (dash >= 0)
            {
                fallback = name[(dash + 2)..];
                name = name[..dash];
            }

            var resolved = _lookup(name);
            if (string.IsNullOrEmpty(resolved))
            {
                resolved = fallback;
            }

            if (resolved is null)
            {
                error = $"environment variable {name} is not set; set it or give a default with ${{env:{name}:-value}}";
                return value;
            }

            result.Append(resolved);
            position = end + 1;
            start = value.IndexOf("${", position, StringComparison.Ordinal);
        }

        result.Append(value, position, value.Length - position);
        return result.ToString();
    }
}
