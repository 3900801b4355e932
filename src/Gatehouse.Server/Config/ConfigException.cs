namespace Gatehouse.Server.Config;

/// <summary>Thrown when a configuration is invalid; carries every problem found, not just the first.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    /// <summary>Required by the exception pattern.</summary>
    public ConfigException()
        : this([])
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public ConfigException(string message)
        : this([new ConfigError("config", 0, 0, message)])
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException) => Errors = [new ConfigError("config", 0, 0, message)];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }
}
