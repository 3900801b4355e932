namespace Gatehouse.Governance.Policies;

/// <summary>One problem in a policy file, with its position and what to do about it.</summary>
/// <param name="File">The file (or source name) it is in.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record PolicyError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
