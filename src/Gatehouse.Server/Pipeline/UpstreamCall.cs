using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// One request's way of trying a target, as <see cref="AttemptRunner"/> needs it: what it asks for and how one
/// attempt is made. Chat calls can also be fetched without answering (for hedging).
/// </summary>
public abstract class UpstreamCall
{
    /// <summary>The model name the client asked for.</summary>
    public abstract string Model { get; }

    /// <summary>Whether the answer is streamed (streams are not hedged).</summary>
    public abstract bool Stream { get; }

    /// <summary>The prompt's estimated tokens (quotas, lowest_cost).</summary>
    public abstract long PromptTokens { get; }

    /// <summary>The most output tokens the request asks for (lowest_cost).</summary>
    public abstract long OutputTokens { get; }

    /// <summary>Whether attempts can be fetched and delivered separately, so a slow one can be hedged.</summary>
    public virtual bool CanHedge => false;

    /// <summary>Whether a content-filtered answer can be turned into a failure for a content_policy fallback.</summary>
    public virtual bool CanRefuse => false;

    /// <summary>Tries <paramref name="target"/> once and answers the client when it succeeds.</summary>
    public abstract ValueTask<AttemptResult> TryAsync(Exchange exchange, RouteTarget target);

    /// <summary>Fetches an answer without writing it (only when <see cref="CanHedge"/>).</summary>
    public virtual ValueTask<FetchedAnswer> FetchAsync(Exchange exchange, RouteTarget target, CancellationToken cancel) => throw new NotSupportedException();

    /// <summary>Delivers a fetched answer (only when <see cref="CanHedge"/>).</summary>
    public virtual ValueTask<AttemptResult> DeliverAsync(Exchange exchange, RouteTarget target, FetchedAnswer answer) => throw new NotSupportedException();
}

/// <summary>A chat request (OpenAI Chat Completions or Anthropic Messages), unary or streamed.</summary>
public sealed class ChatCall : UpstreamCall
{
    private readonly ChatRequest _request;
    private readonly ReadOnlyMemory<byte> _body;
    private readonly UnaryRelay _unary;
    private readonly StreamRelay _stream;

    /// <summary>Creates the call; <paramref name="body"/> is the client's bytes (the pass-through path forwards them).</summary>
    public ChatCall(ChatRequest request, ReadOnlyMemory<byte> body, UnaryRelay unary, StreamRelay stream)
    {
        _request = request;
        _body = body;
        _unary = unary;
        _stream = stream;
        PromptTokens = PromptEstimate.Tokens(request);
    }

    /// <inheritdoc />
    public override string Model => _request.Model;

    /// <inheritdoc />
    public override bool Stream => _request.Stream;

    /// <inheritdoc />
    public override long PromptTokens { get; }

    /// <inheritdoc />
    public override long OutputTokens => _request.MaxTokens ?? 0;

    /// <inheritdoc />
    public override bool CanHedge => !_request.Stream;

    /// <inheritdoc />
    public override bool CanRefuse => !_request.Stream;

    /// <inheritdoc />
    public override ValueTask<AttemptResult> TryAsync(Exchange exchange, RouteTarget target) => _request.Stream
        ? _stream.TryAsync(exchange, _request, _body, target)
        : _unary.TryAsync(exchange, _request, _body, target);

    /// <inheritdoc />
    public override ValueTask<FetchedAnswer> FetchAsync(Exchange exchange, RouteTarget target, CancellationToken cancel) =>
        _unary.FetchAsync(exchange, _request, _body, target, cancel);

    /// <inheritdoc />
    public override ValueTask<AttemptResult> DeliverAsync(Exchange exchange, RouteTarget target, FetchedAnswer answer) =>
        _unary.DeliverAsync(exchange, _request, target, answer);
}
