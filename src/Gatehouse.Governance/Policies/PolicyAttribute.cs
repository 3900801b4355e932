namespace Gatehouse.Governance.Policies;

/// <summary>One attribute a condition may read, such as <c>context.estimated_tokens</c>.</summary>
/// <param name="Root">The variable it hangs off: <c>principal</c>, <c>resource</c> or <c>context</c>.</param>
/// <param name="Name">The attribute name after the dot.</param>
/// <param name="Type">Its CEL type.</param>
/// <param name="AlwaysPresent">Whether every request carries it; when false, reading it on a request that lacks it is an evaluation error unless guarded with <c>has()</c>.</param>
/// <param name="Description">What it holds, for documentation and error messages.</param>
public sealed record PolicyAttribute(string Root, string Name, PolicyAttributeType Type, bool AlwaysPresent, string Description)
{
    /// <summary>The full path as written in conditions.</summary>
    public string Path => $"{Root}.{Name}";
}
