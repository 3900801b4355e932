using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Core;

namespace Gatehouse.Providers;

/// <summary>Maps provider error answers to gateway errors without leaking credentials.</summary>
public static class UpstreamErrors
{
    /// <summary>Maps a non-success upstream answer.</summary>
    public static GatewayError Map(string provider, int status, ReadOnlySpan<byte> body, HttpResponseHeaders? headers)
    {
        var (message, code) = Extract(body);
        var retryAfter = headers is null ? null : RetryAfter(headers);
        switch (status)
        {
            case 401 or 403:
                // Provider auth messages can echo part of the key: never forward them.
                return new GatewayError(ErrorKind.UpstreamError,
                    $"Provider '{provider}' rejected the gateway's credentials (HTTP {status}). An operator must check the provider's api_key.",
                    "upstream_auth_failed")
                { UpstreamStatus = 502 };
            case 429:
                return new GatewayError(ErrorKind.UpstreamError,
                    $"Provider '{provider}' is rate limiting requests: {message ?? "too many requests"}. Retry later.",
                    "upstream_rate_limited")
                { UpstreamStatus = 429, RetryAfter = retryAfter };
            case 529 or 503:
                return new GatewayError(ErrorKind.UpstreamUnavailable,
                    $"Provider '{provider}' is overloaded or unavailable (HTTP {status}): {message ?? "no details"}.",
                    "upstream_overloaded")
                { UpstreamStatus = status, RetryAfter = retryAfter };
            case 408 or 504:
                return new GatewayError(ErrorKind.UpstreamTimeout,
                    $"Provider '{provider}' timed out (HTTP {status}).", "upstream_timeout")
                { UpstreamStatus = status };
            case >= 500:
                return new GatewayError(ErrorKind.UpstreamError,
                    $"Provider '{provider}' failed with HTTP {status}: {message ?? "no details"}.", "upstream_error")
                { UpstreamStatus = status };
            default:
                return new GatewayError(ErrorKind.UpstreamError,
                    $"Provider '{provider}' rejected the request (HTTP {status}): {message ?? "no details"}",
                    code ?? (status == 404 ? "upstream_not_found" : "upstream_invalid_request"))
                { UpstreamStatus = status };
        }
    }

    /// <summary>Reads a Retry-After (seconds or date) or provider reset header.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        foreach (var name in (ReadOnlySpan<string>)["retry-after-ms", "x-ratelimit-reset-requests"])
        {
            if (headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { } raw
                && double.TryParse(raw.TrimEnd('s', 'm'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return name == "retry-after-ms" ? TimeSpan.FromMilliseconds(number) : TimeSpan.FromSeconds(number);
            }
        }

        return null;
    }

    /// <summary>Finds the message and code in the common provider error shapes.</summary>
    internal static (string? Message, string? Code) Extract(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
            var message = Str(error, "message") ?? Str(error, "Message") ?? Str(root, "message") ?? Str(root, "detail");
            var code = Str(error, "code") ?? Str(error, "type") ?? Str(error, "status");
            return (Sanitize(message), code is null ? null : Sanitize(code));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 or holds an unpaired surrogate escape.
            return (null, null);
        }
    }

    /// <summary>Trims a provider message and masks anything that looks like a credential.</summary>
    public static string? Sanitize(string? message) => ProviderText.Sanitize(message);

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
