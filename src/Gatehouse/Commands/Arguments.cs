namespace Gatehouse.Host.Commands;

/// <summary>Parsed <c>--name value</c> options, <c>--flag</c> switches and positional arguments.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];
    private readonly List<(string Name, string? Value)> _all = [];

    /// <summary>Positional arguments in order.</summary>
    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses arguments; <c>--name=value</c> and <c>--name value</c> are both accepted.</summary>
    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed._positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed.Set(arg[2..equals], arg[(equals + 1)..]);
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Set(arg[2..], args[++i]);
            }
            else
            {
                parsed.Set(arg[2..], null);
            }
        }

        return parsed;
    }

    /// <summary>The value of an option, or null.</summary>
    public string? Get(string name) => _options.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every value of an option given more than once (<c>--header a=1 --header b=2</c>), in order.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var values = new List<string>();
        foreach (var (option, value) in _all)
        {
            if (option == name && value is not null)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Whether a switch or option was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    private void Set(string name, string? value)
    {
        _options[name] = value;
        _all.Add((name, value));
    }

    /// <summary>Rejects options outside the known set.</summary>
    public void Allow(params string[] names)
    {
        foreach (var name in _options.Keys)
        {
            if (Array.IndexOf(names, name) < 0)
            {
                throw new ArgumentException($"unknown option --{name}");
            }
        }
    }
}
