using System.Net.Http.Headers;
using Gatehouse.Core;

namespace Gatehouse.Providers.Bedrock;

/// <summary>
/// Maps Bedrock error answers: a JSON <c>{"message": …}</c> body and the error type in <c>x-amzn-ErrorType</c>
/// (for example <c>ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/</c>).
/// </summary>
public static class BedrockErrors
{
    /// <summary>The response header that names the error type.</summary>
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    private const int ModelErrorStatus = 424;

    /// <summary>Maps a non-success answer: the status decides the kind (as for every provider), the error type refines it.</summary>
    public static GatewayError Map(string provider, int status, ReadOnlySpan<byte> body, HttpResponseHeaders? headers)
    {
        var baseline = UpstreamErrors.Map(provider, status, body, headers);
        var type = headers is null ? null : ErrorType(headers);
        var answer = type is null ? $"HTTP {status}" : $"HTTP {status}, {type}";
        if (status is 401 or 403)
        {
            // Auth messages are never forwarded (SignatureDoesNotMatch echoes the canonical request); the type is safe.
            return new GatewayError(baseline.Kind,
                $"Provider '{provider}' rejected the gateway's AWS credentials or their permissions ({answer}). An operator must check the provider's access_key_id, secret_access_key, session_token, region and IAM policy.",
                baseline.Code)
            {
                UpstreamStatus = baseline.UpstreamStatus,
            };
        }

        var details = UpstreamErrors.Extract(body).Message?.TrimEnd('.') ?? "no details";
        if (type == "ModelNotReadyException")
        {
            // Bedrock answers 429 while an on-demand model is still loading: that is unavailability, not a rate limit.
            return new GatewayError(ErrorKind.UpstreamUnavailable, $"Provider '{provider}' is still loading the model ({answer}): {details}. Retry shortly.", "upstream_overloaded")
            {
                UpstreamStatus = status,
                RetryAfter = baseline.RetryAfter,
            };
        }

        var message = baseline.Kind switch
        {
            ErrorKind.UpstreamUnavailable => $"Provider '{provider}' is overloaded or unavailable ({answer}): {details}. Retry later.",
            ErrorKind.UpstreamTimeout => $"Provider '{provider}' timed out ({answer}): {details}.",
            _ when status == 429 => $"Provider '{provider}' is throttling requests ({answer}): {details}. Retry later.",
            _ when status is >= 500 or ModelErrorStatus => $"Provider '{provider}' failed ({answer}): {details}.",
            _ => $"Provider '{provider}' rejected the request ({answer}): {details}.",
        };
        // 424 is Bedrock's ModelErrorException: the model failed, the request was not at fault.
        var code = status == ModelErrorStatus ? "upstream_error" : baseline.Code;
        return new GatewayError(baseline.Kind, message, code, baseline.Param)
        {
            UpstreamStatus = baseline.UpstreamStatus,
            RetryAfter = baseline.RetryAfter,
        };
    }

    /// <summary>The error type without its namespace suffix, or null.</summary>
    public static string? ErrorType(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues(ErrorTypeHeader, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var type = (colon < 0 ? value : value[..colon]).Trim();
            if (type.Length is > 0 and <= 100)
            {
                return UpstreamErrors.Sanitize(type);
            }
        }

        return null;
    }
}
