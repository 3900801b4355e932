using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Routing;

/// <summary>
/// Stage 7, first part: when the requested name is a router, its decision replaces the name to resolve, and the
/// <c>x-gatehouse-route</c> header and the request log say why. Authorization stays on the router's name.
/// </summary>
public static class RouterStage
{
    /// <summary>The response header that explains a routing decision.</summary>
    public const string Header = "x-gatehouse-route";

    /// <summary>The model name to resolve for <paramref name="request"/>: the router's choice, or the requested name itself.</summary>
    public static async ValueTask<string> ChooseAsync(Exchange exchange, ChatRequest request, CallFacts facts, TimeProvider time)
    {
        if (!exchange.Snapshot.Routers.TryGet(request.Model, out var router))
        {
            return request.Model;
        }

        var decision = await router.DecideAsync(RouteFacts.For(request, exchange.Http, exchange.Principal, facts, time.GetUtcNow()), explain: false, exchange.Http.RequestAborted);
        exchange.RouteDecision = decision.Summary;
        exchange.Http.Response.Headers[Header] = decision.Summary;
        if (decision.Semantic?.ErrorDetail is { } problem)
        {
            exchange.RouterProblem = $"router '{router.Name}': {problem}";
        }
        return decision.Model;
    }
}
