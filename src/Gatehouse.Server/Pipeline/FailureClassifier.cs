using Gatehouse.Core;
using Gatehouse.Server.Config;

namespace Gatehouse.Server.Pipeline;

/// <summary>Sorts an upstream failure into the classes that retry, breaker and fallback policies name.</summary>
public static class FailureClassifier
{
    private static readonly string[] ContextLengthCodes = ["context_length_exceeded", "string_above_max_length"];
    private static readonly string[] ContextLengthPhrases =
    [
        "context length", "context_length", "context window", "prompt is too long", "maximum context",
        "input token count", "exceeds the maximum number of tokens", "input is too long", "too many input tokens",
        "reduce the length of the messages",
    ];

    private static readonly string[] ContentPolicyCodes = ["content_policy_violation", "content_filter", "content_policy_refusal"];
    private static readonly string[] ContentPolicyPhrases = ["content management policy", "content policy", "safety system", "responsible ai policy"];

    /// <summary>The class of <paramref name="error"/>; <see cref="FailureClass.None"/> for a failure no policy acts on.</summary>
    public static FailureClass Classify(GatewayError error)
    {
        switch (error.Kind)
        {
            case ErrorKind.UpstreamTimeout:
                return FailureClass.Timeout;
            case ErrorKind.UpstreamUnavailable:
                return error.Code is "upstream_overloaded" ? FailureClass.ServerError : FailureClass.Connect;
            case ErrorKind.UpstreamError:
                break;
            default:
                return FailureClass.None;
        }

        return error.UpstreamStatus switch
        {
            429 => FailureClass.RateLimited,
            408 => FailureClass.Timeout,
            null or >= 500 => error.Code is "upstream_stream_interrupted" ? FailureClass.Connect : FailureClass.ServerError,
            _ when Matches(error, ContextLengthCodes, ContextLengthPhrases) => FailureClass.ContextLength,
            _ when Matches(error, ContentPolicyCodes, ContentPolicyPhrases) => FailureClass.ContentPolicy,
            _ => FailureClass.None,
        };
    }

    /// <summary>Whether the failure says something about the target's health (it feeds the circuit breaker).</summary>
    public static bool CountsAgainstTarget(FailureClass failure) => (failure & FailureClass.Retryable) != 0;

    /// <summary>The configuration name of a single class, for logs.</summary>
    public static string Name(FailureClass failure) => failure switch
    {
        FailureClass.Connect => "connect",
        FailureClass.Timeout => "timeout",
        FailureClass.RateLimited => "429",
        FailureClass.ServerError => "5xx",
        FailureClass.ContextLength => "context_length",
        FailureClass.ContentPolicy => "content_policy",
        _ => "client",
    };

    private static bool Matches(GatewayError error, string[] codes, string[] phrases)
    {
        if (error.Code is { } code && codes.Contains(code, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var phrase in phrases)
        {
            if (error.Message.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
