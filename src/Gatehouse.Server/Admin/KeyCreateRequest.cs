namespace Gatehouse.Server.Admin;

/// <summary>The body of <c>POST /admin/api/keys</c> (and the options of <c>gatehouse keys create</c>).</summary>
public sealed class KeyCreateRequest
{
    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>Owning user (must exist).</summary>
    public string? UserId { get; set; }

    /// <summary>The agent this key identifies (must exist).</summary>
    public string? AgentId { get; set; }

    /// <summary>Team (must exist); defaults to the user's or agent's team.</summary>
    public string? TeamId { get; set; }

    /// <summary>Organization (must exist); defaults to the team's organization.</summary>
    public string? OrgId { get; set; }

    /// <summary>Admin roles: admin, team-admin, auditor.</summary>
    public List<string>? Roles { get; set; }

    /// <summary>Free-form tags.</summary>
    public List<string>? Tags { get; set; }

    /// <summary>Models or groups the key may call (globs allowed); empty allows all.</summary>
    public List<string>? AllowedModels { get; set; }

    /// <summary>Networks (CIDR) the key may be used from; empty allows any.</summary>
    public List<string>? AllowedCidrs { get; set; }

    /// <summary>Absolute expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Relative expiry, such as <c>30d</c> or <c>12h</c>.</summary>
    public string? ExpiresIn { get; set; }

    /// <summary>Requests per minute for this key.</summary>
    public long? Rpm { get; set; }

    /// <summary>Tokens per minute for this key.</summary>
    public long? Tpm { get; set; }

    /// <summary>Concurrent requests for this key.</summary>
    public long? MaxConcurrent { get; set; }

    /// <summary>A spend limit in USD for this key.</summary>
    public decimal? BudgetUsd { get; set; }

    /// <summary>A token limit for this key.</summary>
    public long? BudgetTokens { get; set; }

    /// <summary>The period of that budget (default monthly).</summary>
    public string? BudgetPeriod { get; set; }
}
