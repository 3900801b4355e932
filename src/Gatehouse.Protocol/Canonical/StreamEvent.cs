using Gatehouse.Core;

namespace Gatehouse.Protocol.Canonical;

/// <summary>One event of a canonical answer stream. Block indexes count every content block of the answer.</summary>
public abstract record StreamEvent;

/// <summary>The answer begins.</summary>
public sealed record MessageStartEvent(string Id, string Model, Usage Usage) : StreamEvent;

/// <summary>A text block begins.</summary>
public sealed record TextStartEvent(int Index) : StreamEvent;

/// <summary>A reasoning block begins.</summary>
public sealed record ThinkingStartEvent(int Index, string? RedactedData = null) : StreamEvent;

/// <summary>A tool call block begins.</summary>
public sealed record ToolCallStartEvent(int Index, string Id, string Name, string? ThoughtSignature = null) : StreamEvent;

/// <summary>Text was added to a text block.</summary>
public sealed record TextDeltaEvent(int Index, string Text) : StreamEvent;

/// <summary>Reasoning text was added.</summary>
public sealed record ThinkingDeltaEvent(int Index, string Text) : StreamEvent;

/// <summary>The reasoning block's signature arrived.</summary>
public sealed record SignatureDeltaEvent(int Index, string Signature) : StreamEvent;

/// <summary>A fragment of a tool call's JSON arguments arrived.</summary>
public sealed record ToolArgumentsDeltaEvent(int Index, string JsonFragment) : StreamEvent;

/// <summary>A block is complete.</summary>
public sealed record BlockStopEvent(int Index) : StreamEvent;

/// <summary>The model stopped, with the reason.</summary>
public sealed record FinishEvent(FinishReason Reason, string? StopSequence = null) : StreamEvent;

/// <summary>Usage so far (cumulative).</summary>
public sealed record UsageEvent(Usage Usage) : StreamEvent;

/// <summary>
/// The upstream reported an error in the stream. Its message quotes the provider, so it is sanitized here, once for
/// every decoder: credential-like tokens masked, length capped (<see cref="ProviderText"/>).
/// </summary>
public sealed record ErrorEvent(GatewayError Error) : StreamEvent
{
    /// <summary>The error, with the provider's words sanitized.</summary>
    public GatewayError Error { get; } = ProviderText.Sanitize(Error);
}

/// <summary>
/// Output of <paramref name="Chars"/> characters (text, reasoning or tool arguments) passed by without its content:
/// what a stream observer reports for an answer forwarded as the upstream sent it, where only its size is accounted for.
/// </summary>
public sealed record OutputSizeEvent(int Chars) : StreamEvent;
