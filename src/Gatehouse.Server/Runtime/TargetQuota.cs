namespace Gatehouse.Server.Runtime;

/// <summary>
/// A target's own requests- and tokens-per-minute quota as seen from this gateway: a sliding one-minute window of
/// requests sent and tokens (prompt estimate at send, corrected by the reported usage after).
/// </summary>
public sealed class TargetQuota
{
    private readonly SlidingWindow _minute;
    private readonly TimeProvider _time;

    /// <summary>Creates the quota window.</summary>
    public TargetQuota(TimeProvider time)
    {
        _time = time;
        _minute = new SlidingWindow(TimeSpan.FromMinutes(1), time);
    }

    /// <summary>Requests and tokens sent over the last minute.</summary>
    public (long Requests, long Tokens) LastMinute => _minute.Sum(_time.GetTimestamp());

    /// <summary>Whether one more request of <paramref name="tokens"/> would go over the target's quota.</summary>
    public bool WouldExceed(RouteTarget target, long tokens)
    {
        if (target.MaxRpm is null && target.MaxTpm is null)
        {
            return false;
        }

        var (requests, used) = LastMinute;
        return requests + 1 > target.MaxRpm || used + tokens > target.MaxTpm;
    }

    /// <summary>Counts a request sent with an estimate of <paramref name="tokens"/>.</summary>
    public void Sent(long tokens) => _minute.Add(_time.GetTimestamp(), 1, tokens);

    /// <summary>Corrects the token count by what the provider reported minus the estimate.</summary>
    public void Correct(long tokens) => _minute.Add(_time.GetTimestamp(), 0, tokens);
}
