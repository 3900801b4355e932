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

    /// <summary>The longest wait a provider's header is taken at: a day.</summary>
    public const double MaxRetryAfterSeconds = 86_400;

    /// <summary>
    /// Reads how long a provider asks to wait: <c>Retry-After</c> in seconds, <c>retry-after-ms</c>, or OpenAI's
    /// <c>x-ratelimit-reset-requests</c> (<c>120ms</c>, <c>6m0s</c>, <c>1h2m3.5s</c>). A value that is negative or not
    /// a number is ignored; one beyond a day is taken as a day.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.RetryAfter?.Delta is { } delta)
        {
            return Bounded(delta.TotalSeconds);
        }

        if (First(headers, "retry-after-ms") is { } milliseconds
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return Bounded(number / 1000);
        }

        return First(headers, "x-ratelimit-reset-requests") is { } reset && TryParseResetDuration(reset, out var seconds) ? Bounded(seconds) : null;
    }

    /// <summary>Parses OpenAI's reset durations: numbers with <c>h</c>, <c>m</c>, <c>s</c> or <c>ms</c>, one after another (a bare number is seconds).</summary>
    internal static bool TryParseResetDuration(string text, out double seconds)
    {
        seconds = 0;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return false;
        }

        while (!rest.IsEmpty)
        {
            var length = 0;
            while (length < rest.Length && (char.IsAsciiDigit(rest[length]) || rest[length] == '.'))
            {
                length++;
            }

            if (length == 0 || !double.TryParse(rest[..length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            rest = rest[length..];
            var (unit, unitLength) = rest.StartsWith("ms") ? (0.001, 2)
                : rest.StartsWith("h") ? (3600d, 1)
                : rest.StartsWith("m") ? (60d, 1)
                : rest.StartsWith("s") ? (1d, 1)
                : rest.IsEmpty ? (1d, 0)
                : (double.NaN, 0);
            if (double.IsNaN(unit))
            {
                return false;
            }

            seconds += value * unit;
            rest = rest[unitLength..];
        }

        return true;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? Bounded(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfterSeconds)) : null;

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
