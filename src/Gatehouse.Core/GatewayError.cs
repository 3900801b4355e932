namespace Gatehouse.Core;

/// <summary>The one error type of the gateway: knows its HTTP status, dialect codes, blame and retryability.</summary>
public sealed class GatewayError
{
    /// <summary>Creates an error.</summary>
    public GatewayError(ErrorKind kind, string message, string? code = null, string? param = null)
    {
        Kind = kind;
        Message = message;
        Code = code;
        Param = param;
    }

    /// <summary>The class of failure.</summary>
    public ErrorKind Kind { get; }

    /// <summary>A message for the caller that says what was wrong and what to do. Never contains secrets.</summary>
    public string Message { get; }

    /// <summary>A stable machine-readable code (for example <c>model_not_found</c>).</summary>
    public string? Code { get; }

    /// <summary>The request parameter at fault, when there is one.</summary>
    public string? Param { get; }

    /// <summary>For rate limits and upstream overload: how long the caller should wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The HTTP status an upstream answered with, when the error came from one.</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>An exact status for the rare error whose kind maps to a different one (405 Method Not Allowed).</summary>
    public int? StatusOverride { get; init; }

    /// <summary>A copy with another message and everything else the same.</summary>
    public GatewayError WithMessage(string message) => new(Kind, message, Code, Param)
    {
        RetryAfter = RetryAfter,
        UpstreamStatus = UpstreamStatus,
        StatusOverride = StatusOverride,
    };

    /// <summary>The HTTP status the client receives.</summary>
    public int HttpStatus => StatusOverride ?? StatusFor(Kind, UpstreamStatus);

    /// <summary>Who caused the failure.</summary>
    public Blame Blame => Kind switch
    {
        ErrorKind.UpstreamError or ErrorKind.UpstreamUnavailable or ErrorKind.UpstreamTimeout => Blame.Upstream,
        ErrorKind.Internal => Blame.Gateway,
        _ => Blame.Client,
    };

    /// <summary>Whether another attempt (same or other target) may succeed.</summary>
    public bool IsRetryable => Kind is ErrorKind.UpstreamUnavailable or ErrorKind.UpstreamTimeout
        || (Kind is ErrorKind.UpstreamError && UpstreamStatus is null or >= 500 or 429 or 408);

    /// <summary>The OpenAI-dialect error type string.</summary>
    public string OpenAiType => (Kind, HttpStatus) switch
    {
        (ErrorKind.UpstreamError, 400 or 404 or 413 or 422) => "invalid_request_error",
        (ErrorKind.UpstreamError, 429) => "rate_limit_error",
        _ => OpenAiTypeForKind,
    };

    private string OpenAiTypeForKind => Kind switch
    {
        ErrorKind.InvalidRequest or ErrorKind.NotFound or ErrorKind.PayloadTooLarge => "invalid_request_error",
        ErrorKind.Authentication => "authentication_error",
        ErrorKind.PermissionDenied => "permission_error",
        ErrorKind.RateLimited => "rate_limit_error",
        ErrorKind.BudgetExceeded => "insufficient_quota",
        ErrorKind.UpstreamTimeout => "timeout_error",
        ErrorKind.UpstreamError or ErrorKind.UpstreamUnavailable => "upstream_error",
        _ => "server_error",
    };

    /// <summary>The Anthropic-dialect error type string.</summary>
    public string AnthropicType => (Kind, HttpStatus) switch
    {
        (ErrorKind.UpstreamError, 400 or 413 or 422) => "invalid_request_error",
        (ErrorKind.UpstreamError, 404) => "not_found_error",
        (ErrorKind.UpstreamError, 429) => "rate_limit_error",
        _ => AnthropicTypeForKind,
    };

    private string AnthropicTypeForKind => Kind switch
    {
        ErrorKind.InvalidRequest => "invalid_request_error",
        ErrorKind.Authentication => "authentication_error",
        ErrorKind.PermissionDenied => "permission_error",
        ErrorKind.NotFound => "not_found_error",
        ErrorKind.PayloadTooLarge => "request_too_large",
        ErrorKind.RateLimited => "rate_limit_error",
        ErrorKind.BudgetExceeded => "billing_error",
        ErrorKind.UpstreamTimeout => "timeout_error",
        ErrorKind.UpstreamUnavailable => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>Shorthand for a 400 error.</summary>
    public static GatewayError Invalid(string message, string? param = null, string code = "invalid_request")
        => new(ErrorKind.InvalidRequest, message, code, param);

    private static int StatusFor(ErrorKind kind, int? upstream) => kind switch
    {
        ErrorKind.InvalidRequest => 400,
        ErrorKind.Authentication => 401,
        ErrorKind.PermissionDenied => 403,
        ErrorKind.NotFound => 404,
        ErrorKind.PayloadTooLarge => 413,
        ErrorKind.RateLimited => 429,
        ErrorKind.BudgetExceeded => 402,
        ErrorKind.UpstreamError => upstream switch
        {
            // A client-caused upstream rejection (bad parameter for that provider) stays a 4xx so SDKs do not retry.
            400 or 404 or 413 or 422 => upstream.Value,
            429 => 429,
            _ => 502,
        },
        ErrorKind.UpstreamUnavailable => 503,
        ErrorKind.UpstreamTimeout => 504,
        _ => 500,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}
