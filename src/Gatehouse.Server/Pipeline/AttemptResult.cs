using Gatehouse.Core;

namespace Gatehouse.Server.Pipeline;

/// <summary>The outcome of one upstream attempt: success, or an error and whether the response was already committed.</summary>
public readonly record struct AttemptResult(bool Succeeded, bool Committed, GatewayError? Error)
{
    /// <summary>The attempt served the client.</summary>
    public static AttemptResult Success { get; } = new(true, true, null);

    /// <summary>The attempt failed before anything reached the client; another target may be tried.</summary>
    public static AttemptResult Failed(GatewayError error) => new(false, false, error);

    /// <summary>The attempt failed after the response started; it ended with an error event.</summary>
    public static AttemptResult FailedAfterCommit(GatewayError error) => new(false, true, error);
}
