namespace Gatehouse.Server.Config;

/// <summary>The <c>when:</c> of a routing rule: every condition given must hold; within a list, any entry may match.</summary>
public sealed class RouteConditionConfig
{
    /// <summary>Request headers (name, case-insensitive) and the values (<c>*</c> globs) one of which each must have.</summary>
    public Dictionary<string, List<string>> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The caller's team must be one of these.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>The caller's user must be one of these.</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>The caller must carry at least one of these tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>The name the client asked for (the router's name or one of its aliases) must match one of these globs.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Whether the request must (true) or must not (false) offer tools.</summary>
    public bool? HasTools { get; set; }

    /// <summary>Whether the request must (true) or must not (false) contain images.</summary>
    public bool? HasImages { get; set; }

    /// <summary>The estimated prompt must have at least this many tokens.</summary>
    public long? MinPromptTokens { get; set; }

    /// <summary>The estimated prompt must have at most this many tokens.</summary>
    public long? MaxPromptTokens { get; set; }

    /// <summary>The request must arrive in one of these daily UTC windows.</summary>
    public List<HourRange> Hours { get; set; } = [];
}
