using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Routing;

/// <summary>What a router's rules may look at: the request, its headers, the caller, and the time it arrived.</summary>
public sealed class RouteFacts
{
    private long? _promptTokens;

    /// <summary>The decoded request (its model is the router name the client asked for).</summary>
    public required ChatRequest Request { get; init; }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers { get; init; } = new HeaderDictionary();

    /// <summary>The caller's team, if known.</summary>
    public string? TeamId { get; init; }

    /// <summary>The caller's user, if known.</summary>
    public string? UserId { get; init; }

    /// <summary>The caller's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Whether the request offers tools.</summary>
    public bool HasTools { get; init; }

    /// <summary>Whether the request contains images.</summary>
    public bool HasImages { get; init; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The estimated prompt size in tokens (<see cref="PromptEstimate"/>), computed once when a rule asks.</summary>
    public long PromptTokens => _promptTokens ??= PromptEstimate.Tokens(Request);

    /// <summary>The facts of a request arriving through the pipeline.</summary>
    public static RouteFacts For(ChatRequest request, HttpContext http, Principal? caller, CallFacts facts, DateTimeOffset now) => new()
    {
        Request = request,
        Headers = http.Request.Headers,
        TeamId = caller?.TeamId,
        UserId = caller?.UserId,
        Tags = caller?.Tags ?? [],
        HasTools = facts.HasTools,
        HasImages = facts.HasImages,
        Now = now,
    };
}
