namespace Gatehouse.Server.Config;

/// <summary>One configuration problem with its location and what to do about it.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
