namespace Gatehouse.Server.Admin;

/// <summary>The body of <c>POST /admin/api/policies/test</c> and the options of <c>gatehouse policy test</c>.</summary>
public sealed class PolicyTestRequest
{
    /// <summary>The principal, as <c>Type::id</c> (<c>Key::abcd2345efgh</c>, <c>User::alice</c>, <c>Agent::bot</c>); its ancestors come from the store.</summary>
    public string? Principal { get; set; }

    /// <summary>The action (<c>invoke_model</c>, <c>use_embeddings</c>, …).</summary>
    public string? Action { get; set; }

    /// <summary>The resource, as <c>Type::id</c> (<c>Model::openai/gpt-4o</c>, <c>ModelGroup::smart</c>).</summary>
    public string? Resource { get; set; }

    /// <summary>Optional context: the caller's address.</summary>
    public string? SourceIp { get; set; }

    /// <summary>Optional context: estimated tokens.</summary>
    public long? EstimatedTokens { get; set; }

    /// <summary>Optional context: the time to evaluate at (default now).</summary>
    public DateTimeOffset? Time { get; set; }
}
