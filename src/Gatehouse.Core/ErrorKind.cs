namespace Gatehouse.Core;

/// <summary>The class of a gateway failure; each maps to exactly one HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The client sent something malformed or semantically invalid (400).</summary>
    InvalidRequest,

    /// <summary>The caller is not identified (401).</summary>
    Authentication,

    /// <summary>The caller is identified but not allowed (403).</summary>
    PermissionDenied,

    /// <summary>The requested model or resource does not exist (404).</summary>
    NotFound,

    /// <summary>The request body exceeds the configured limit (413).</summary>
    PayloadTooLarge,

    /// <summary>A limit was reached; the caller may retry later (429).</summary>
    RateLimited,

    /// <summary>A spend or token budget cannot pay for the request (402).</summary>
    BudgetExceeded,

    /// <summary>The upstream provider answered with an error (502).</summary>
    UpstreamError,

    /// <summary>No upstream could be reached or all are overloaded (503).</summary>
    UpstreamUnavailable,

    /// <summary>The upstream did not answer in time (504).</summary>
    UpstreamTimeout,

    /// <summary>A bug or unexpected condition inside the gateway (500).</summary>
    Internal,
}
