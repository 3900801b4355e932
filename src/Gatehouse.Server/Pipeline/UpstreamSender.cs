using System.Runtime.CompilerServices;
using Gatehouse.Core;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>Sends an upstream request and turns transport failures into typed errors.</summary>
public static class UpstreamSender
{
    /// <summary>Sends; returns the response (headers read, body not yet) or the error to report. The caller decides when the first byte counts as received.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(HttpResponseMessage? Response, GatewayError? Error)> SendAsync(
        RouteTarget target, HttpRequestMessage message, AttemptCancellation cancellation)
    {
        try
        {
            var response = await target.Provider.Invoker.SendAsync(message, cancellation.Token);
            return (response, null);
        }
        catch (OperationCanceledException) when (!cancellation.ClientGone)
        {
            return (null, cancellation.TimeoutError(target.Provider.Name));
        }
        catch (HttpRequestException ex)
        {
            return (null, new GatewayError(
                ErrorKind.UpstreamUnavailable,
                $"Could not reach provider '{target.Provider.Name}' ({ex.HttpRequestError}). Check its base_url and the network.",
                "upstream_unreachable"));
        }
    }

    /// <summary>Reads a failed answer's body (capped) and maps it through the adapter.</summary>
    public static async Task<GatewayError> ReadErrorAsync(RouteTarget target, HttpResponseMessage response, AttemptCancellation cancellation)
    {
        byte[] body;
        try
        {
            using var read = await UpstreamBody.ReadAsync(response, 64 * 1024, target.Provider.Name, cancellation.Token);
            body = read.Memory.ToArray();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or GatewayException)
        {
            body = [];
        }
        catch (OperationCanceledException) when (!cancellation.ClientGone)
        {
            body = [];
        }

        return target.Provider.Adapter.MapError((int)response.StatusCode, body, response.Headers);
    }
}
