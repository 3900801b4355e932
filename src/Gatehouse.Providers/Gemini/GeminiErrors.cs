using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Providers.Gemini;

/// <summary>
/// Maps Google's error answers (<c>{"error":{"code","message","status","details"}}</c>): the common mapping,
/// corrected where Google's HTTP status says less than its details.
/// </summary>
public static class GeminiErrors
{
    /// <summary>Maps a non-success upstream answer.</summary>
    public static GatewayError Map(string provider, int status, ReadOnlySpan<byte> body, HttpResponseHeaders? headers)
    {
        var (grpcStatus, reason, retryDelay) = Inspect(body);

        // Google answers a wrong or expired API key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID: that is
        // the gateway's credential failing, not the client's request, so it maps like a 401.
        var effective = reason is not null && reason.StartsWith("API_KEY_", StringComparison.Ordinal) ? 401
            : grpcStatus == "RESOURCE_EXHAUSTED" ? 429
            : status;
        var error = UpstreamErrors.Map(provider, effective, body, headers);
        if (error.RetryAfter is not null || retryDelay is null || !error.IsRetryable)
        {
            return error;
        }

        // Without a Retry-After header, Google's RetryInfo detail says how long to wait.
        return new GatewayError(error.Kind, error.Message, error.Code, error.Param)
        {
            UpstreamStatus = error.UpstreamStatus,
            RetryAfter = retryDelay,
        };
    }

    private static (string? Status, string? Reason, TimeSpan? RetryDelay) Inspect(ReadOnlySpan<byte> body)
    {
        // Only Google's own object shape matters here (the gateway always streams with alt=sse, so error bodies
        // are never wrapped in an array); anything else is left to the common mapping.
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            string? reason = null;
            TimeSpan? retryDelay = null;
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    reason ??= Str(detail, "reason");
                    if (Str(detail, "retryDelay") is { } delay && delay.EndsWith('s')
                        && double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                        && seconds is >= 0 and <= 86400)
                    {
                        retryDelay = TimeSpan.FromSeconds(seconds);
                    }
                }
            }

            return (Str(error, "status"), reason, retryDelay);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return default;
        }
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
