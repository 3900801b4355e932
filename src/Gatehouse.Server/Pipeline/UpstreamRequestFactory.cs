using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// Builds the upstream HTTP request for a target: the pass-through fast path (client bytes with only the model
/// replaced) when the client's dialect equals the provider's, otherwise a translation through the canonical model.
/// </summary>
public static class UpstreamRequestFactory
{
    /// <summary>Client headers that carry protocol features and are forwarded to a same-dialect upstream.</summary>
    private static readonly string[] AnthropicForwarded = ["anthropic-beta"];

    /// <summary>Creates the request. <paramref name="scratch"/> holds the rewritten body and must outlive the send.</summary>
    public static HttpRequestMessage Create(ChatRequest request, ReadOnlyMemory<byte> clientBody, RouteTarget target, HttpRequest client, PooledBufferWriter scratch)
    {
        var adapter = target.Provider.Adapter;
        ReadOnlyMemory<byte>? passThrough = null;
        if (adapter.Dialect == request.SourceDialect && !request.Modified)
        {
            var addUsage = request.Stream && adapter.Dialect == Dialect.OpenAiChat && !request.IncludeUsage;
            if (JsonBodyRewriter.TryRewrite(clientBody.Span, target.Model, addUsage, scratch))
            {
                passThrough = scratch.WrittenMemory;
            }
        }

        var message = adapter.BuildChatRequest(request, target.Model, passThrough);
        if (adapter.Dialect == Dialect.AnthropicMessages && request.SourceDialect == Dialect.AnthropicMessages)
        {
            foreach (var name in AnthropicForwarded)
            {
                if (client.Headers.TryGetValue(name, out var values))
                {
                    message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }

        return message;
    }

    /// <summary>Whether the answer of this target can be forwarded byte for byte to the client.</summary>
    public static bool IsPassThrough(ChatRequest request, RouteTarget target) => target.Provider.Adapter.Dialect == request.SourceDialect;
}
