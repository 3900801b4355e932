using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>Maps ConverseStream exception frames (<c>:message-type</c> exception) to gateway errors.</summary>
internal static class ConverseStreamExceptions
{
    private const int MaxMessageLength = 400;

    public static GatewayError Map(string exceptionType, ReadOnlySpan<byte> payload)
    {
        var (message, originalStatus) = Read(payload);
        var details = message ?? "no details";
        return exceptionType switch
        {
            "throttlingException" => RateLimited(details),
            "serviceUnavailableException" or "modelNotReadyException" => new GatewayError(ErrorKind.UpstreamUnavailable,
                $"Bedrock is unavailable ({exceptionType}): {details}", "upstream_overloaded")
            { UpstreamStatus = 503 },
            "modelTimeoutException" => new GatewayError(ErrorKind.UpstreamTimeout,
                $"The Bedrock model timed out mid-stream: {details}", "upstream_timeout")
            { UpstreamStatus = 408 },
            "validationException" => new GatewayError(ErrorKind.UpstreamError,
                $"Bedrock rejected the request (validationException): {details}", "upstream_invalid_request")
            { UpstreamStatus = 400 },

            // A model stream error carries the model's own status: a 429 there is throttling too.
            "modelStreamErrorException" when originalStatus == 429 => RateLimited(details),
            "modelStreamErrorException" => new GatewayError(ErrorKind.UpstreamError,
                $"The Bedrock model failed mid-stream: {details}", "upstream_stream_error")
            { UpstreamStatus = originalStatus ?? 424 },
            "internalServerException" => new GatewayError(ErrorKind.UpstreamError,
                $"Bedrock failed mid-stream (internalServerException): {details}", "upstream_stream_error")
            { UpstreamStatus = 500 },
            _ => new GatewayError(ErrorKind.UpstreamError,
                $"Bedrock reported an error mid-stream ({exceptionType}): {details}", "upstream_stream_error"),
        };
    }

    private static GatewayError RateLimited(string details) => new(ErrorKind.UpstreamError,
        $"Bedrock is throttling requests: {details.TrimEnd('.')}. Retry later.", "upstream_rate_limited")
    { UpstreamStatus = 429 };

    private static (string? Message, int? OriginalStatus) Read(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var message = ConverseResponseDecoder.Str(root, "message") ?? ConverseResponseDecoder.Str(root, "Message");
            if (message is { Length: > MaxMessageLength })
            {
                message = message[..MaxMessageLength] + "…";
            }

            int? status = root.TryGetProperty("originalStatusCode", out var code) && code.ValueKind == JsonValueKind.Number
                && code.TryGetInt32(out var number) ? number : null;
            return (message, status);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The frame itself says what failed; an unreadable payload only loses the details.
            return (null, null);
        }
    }
}
