using System.Runtime.CompilerServices;
using Gatehouse.Core;
using Gatehouse.Server.Config;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// The call stage: tries a request's targets in the strategy's order until one answers. Skips targets whose breaker
/// is open, that failed their health checks or that are at their own quota; retries a target with backoff on the
/// failures its group retries; hedges slow non-streamed attempts; keeps every attempt inside the group's deadline;
/// and when a whole group failed, moves on to the group's fallback for that kind of failure. Every attempt and every
/// skipped target is recorded on the exchange.
/// </summary>
public sealed class AttemptRunner
{
    private const int MaxFallbackHops = 3;
    private readonly TimeProvider _time;
    private readonly ExchangeRecorder _recorder;
    private readonly TargetStates _states;

    /// <summary>Creates the runner.</summary>
    public AttemptRunner(TimeProvider time, ExchangeRecorder recorder, TargetStates states)
    {
        _time = time;
        _recorder = recorder;
        _states = states;
    }

    /// <summary>
    /// Serves the request from <paramref name="resolution"/>'s targets, then its fallbacks. Returns null when an answer
    /// (or a stream that later failed, already ended with an error event) reached the client, else the error to answer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> ServeAsync(Exchange exchange, UpstreamCall call, ModelResolution resolution)
    {
        if (resolution.Group?.Deadline is { } deadline)
        {
            exchange.Deadline = exchange.StartTimestamp + (long)(deadline.TotalSeconds * _time.TimestampFrequency);
        }

        // The models served so far; allocated only when a fallback is taken.
        HashSet<string>? fellBackTo = null;
        bool Tried(string model) => model == call.Model || fellBackTo?.Contains(model) == true;
        for (var hop = 0; ; hop++)
        {
            exchange.FailOverOnRefusal = call.CanRefuse && resolution.Group is { } group
                && group.Fallbacks.Exists(f => (f.On & FailureClass.ContentPolicy) != 0 && !Tried(f.Model));
            var error = await ServeGroupAsync(exchange, call, resolution);
            if (error is null || exchange.Http.Response.HasStarted)
            {
                return error;
            }

            var failure = FailureClassifier.Classify(error);
            var next = resolution.Group?.Fallbacks.Find(f => (f.On & failure) != 0 && !Tried(f.Model));
            if (next is null || hop == MaxFallbackHops || exchange.Http.RequestAborted.IsCancellationRequested || DeadlinePassed(exchange)
                || exchange.Snapshot.Resolve(next.Model) is not { Found: true } fallback)
            {
                return error;
            }

            (fellBackTo ??= new HashSet<string>(StringComparer.Ordinal)).Add(next.Model);
            (exchange.Fallbacks ??= []).Add(next.Model);
            resolution = fallback;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> ServeGroupAsync(Exchange exchange, UpstreamCall call, ModelResolution resolution)
    {
        var targets = resolution.Strategy is { } strategy
            ? strategy.Order(resolution.Targets!, _states, Random.Shared, call.PromptTokens, call.OutputTokens)
            : resolution.Targets!;
        var plan = new GroupPlan(resolution, call.PromptTokens, targets);
        GatewayError? last = null;
        TimeSpan? soonest = null;
        var tries = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            // The second pass ("panic mode") tries targets that only health checks or quotas held back, when the
            // first pass tried nothing at all: a doubtful target beats a certain error.
            var ignoreHealth = pass == 1;
            if (ignoreHealth && (tries > 0 || !plan.HeldBack))
            {
                break;
            }

            for (var i = 0; i < targets.Length; i++)
            {
                if (DeadlinePassed(exchange))
                {
                    return last ?? DeadlineError(exchange);
                }

                if (plan.WasTried(targets[i]) || !TryEnter(exchange, plan, targets[i], ignoreHealth, ref soonest, out var lease))
                {
                    continue;
                }

                tries++;
                try
                {
                    var hedge = HedgePartner(exchange, call, plan, targets, i, ignoreHealth, ref soonest);
                    last = hedge is null
                        ? await TryTargetAsync(exchange, call, plan, lease)
                        : await TryHedgedAsync(exchange, call, plan, lease, hedge.Value);
                }
                finally
                {
                    lease.Release();
                }

                if (last is null)
                {
                    return null;
                }

                if (exchange.Http.Response.HasStarted || exchange.Http.RequestAborted.IsCancellationRequested
                    || (FailureClassifier.Classify(last) & resolution.Retry.On) == 0)
                {
                    return last;
                }
            }
        }

        return last ?? NothingTriedError(exchange, call, soonest);
    }

    /// <summary>Tries one target, with retries; returns null on success, else the last error.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayError?> TryTargetAsync(Exchange exchange, UpstreamCall call, GroupPlan plan, TargetLease lease)
    {
        var retry = plan.Resolution.Retry;
        GatewayError? last = null;
        for (var attempt = 1; attempt <= retry.Attempts; attempt++)
        {
            var started = Begin(exchange, lease.Target, plan.Estimate);
            AttemptResult result;
            try
            {
                result = await call.TryAsync(exchange, lease.Target);
            }
            catch
            {
                _states.For(lease.Target).Stats.Abandoned();
                throw;
            }

            End(exchange, plan, lease, started, result.Error, result.Committed, hedge: false);
            if (result.Succeeded)
            {
                return null;
            }

            last = result.Error!;
            if (result.Committed || (FailureClassifier.Classify(last) & retry.On) == 0 || exchange.Http.RequestAborted.IsCancellationRequested
                || attempt == retry.Attempts || (lease.Breaker?.State == "open" && last.RetryAfter is null))
            {
                return last;
            }

            // Retry the same target after a jittered backoff, or move on when the provider asks for a longer pause
            // or the wait would outlast the deadline.
            if (RetryBackoff.Delay(retry, attempt, last, Random.Shared) is not { } delay || !FitsDeadline(exchange, delay))
            {
                return last;
            }

            await Task.Delay(delay, _time, exchange.Http.RequestAborted);
        }

        return last;
    }

    /// <summary>
    /// Sends to the first target, and after the hedge delay also to the second; the first good answer is delivered
    /// and the other attempt cancelled. Returns null on success, else the error of the attempt that failed last.
    /// </summary>
    private async Task<GatewayError?> TryHedgedAsync(Exchange exchange, UpstreamCall call, GroupPlan plan, TargetLease first, (TargetLease Lease, TimeSpan Delay) hedge)
    {
        var attempts = new List<HedgeAttempt>(2);
        try
        {
            attempts.Add(Launch(exchange, call, plan, first, isHedge: false));
            using (var delay = CancellationTokenSource.CreateLinkedTokenSource(exchange.Http.RequestAborted))
            {
                var timer = Task.Delay(hedge.Delay, _time, delay.Token);
                if (await Task.WhenAny(attempts[0].Task, timer) == timer && !exchange.Http.RequestAborted.IsCancellationRequested)
                {
                    plan.MarkTried(hedge.Lease.Target);
                    attempts.Add(Launch(exchange, call, plan, hedge.Lease, isHedge: true));
                }

                await delay.CancelAsync();
            }

            GatewayError? last = null;
            while (attempts.Find(a => !a.Consumed) is not null)
            {
                var done = await Task.WhenAny(attempts.Where(a => !a.Consumed).Select(a => a.Task));
                var attempt = attempts.Find(a => a.Task == done)!;
                attempt.Consumed = true;
                using var answer = await done;
                Book(exchange, plan, attempt, answer);
                if (answer.Error is { } error)
                {
                    last = error == Cancelled ? last : error;
                    continue;
                }

                // The winner: cancel the other attempt, then deliver.
                foreach (var other in attempts)
                {
                    await other.Cancel.CancelAsync();
                }

                exchange.Target = attempt.Lease.Target;
                var delivered = await call.DeliverAsync(exchange, attempt.Lease.Target, answer);
                return delivered.Succeeded ? null : delivered.Error;
            }

            return last;
        }
        finally
        {
            // A losing attempt is cancelled and waited for; if it ended on its own first, its outcome still counts.
            foreach (var attempt in attempts)
            {
                await attempt.Cancel.CancelAsync();
                if (!attempt.Consumed)
                {
                    using var answer = await attempt.Task;
                    Book(exchange, plan, attempt, answer);
                }

                attempt.Cancel.Dispose();
            }

            hedge.Lease.Release();
        }
    }

    private HedgeAttempt Launch(Exchange exchange, UpstreamCall call, GroupPlan plan, TargetLease lease, bool isHedge)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(exchange.Http.RequestAborted);
        var started = Begin(exchange, lease.Target, plan.Estimate);
        return new HedgeAttempt(lease, started, isHedge, cancel, FetchAsync(exchange, call, lease.Target, cancel.Token));
    }

    private void Book(Exchange exchange, GroupPlan plan, HedgeAttempt attempt, FetchedAnswer answer)
    {
        if (answer.Error == Cancelled)
        {
            // The other attempt won (or the client left): no verdict on the target, but the log shows the attempt.
            _states.For(attempt.Lease.Target).Stats.Abandoned();
            (exchange.AttemptLog ??= []).Add(new AttemptRecord(
                attempt.Lease.Target.Name, 0, Math.Round(_time.GetElapsedTime(attempt.Started).TotalMilliseconds, 3), Cancelled.Code, "cancelled", attempt.IsHedge));
            return;
        }

        End(exchange, plan, attempt.Lease, attempt.Started, answer.Error, committed: false, attempt.IsHedge);
    }

    /// <summary>Runs a fetch; a cancelled one (the other attempt won, or the client left) yields <see cref="Cancelled"/>.</summary>
    private static async Task<FetchedAnswer> FetchAsync(Exchange exchange, UpstreamCall call, RouteTarget target, CancellationToken cancel)
    {
        try
        {
            return await call.FetchAsync(exchange, target, cancel);
        }
        catch (OperationCanceledException)
        {
            return FetchedAnswer.Failed(Cancelled);
        }
    }

    private static readonly GatewayError Cancelled = new(ErrorKind.UpstreamTimeout, "The attempt was cancelled.", "attempt_cancelled");

    /// <summary>The second target of a hedge and the delay before it is asked, when the group hedges this request.</summary>
    private (TargetLease Lease, TimeSpan Delay)? HedgePartner(Exchange exchange, UpstreamCall call, GroupPlan plan, RouteTarget[] targets, int index, bool ignoreHealth, ref TimeSpan? soonest)
    {
        if (!call.CanHedge || plan.Resolution.Group?.Hedge is not { } config || plan.Hedged)
        {
            return null;
        }

        for (var j = index + 1; j < targets.Length; j++)
        {
            if (TryEnter(exchange, plan, targets[j], ignoreHealth, ref soonest, out var lease, record: false))
            {
                plan.Hedged = true;
                return (lease, config.After ?? GroupP95(targets) ?? config.Initial);
            }
        }

        return null;
    }

    /// <summary>The p95 of the group's recent successful latencies, once at least 20 are known.</summary>
    private TimeSpan? GroupP95(RouteTarget[] targets)
    {
        var samples = new List<double>();
        foreach (var target in targets)
        {
            _states.For(target).Stats.CopyRecentLatencies(samples);
        }

        if (samples.Count < 20)
        {
            return null;
        }

        samples.Sort();
        return TimeSpan.FromMilliseconds(samples[(int)Math.Ceiling(samples.Count * 0.95) - 1]);
    }

    /// <summary>Whether a target may be tried now; records why not on the exchange.</summary>
    private bool TryEnter(Exchange exchange, GroupPlan plan, RouteTarget target, bool ignoreHealth, ref TimeSpan? soonest, out TargetLease lease, bool record = true)
    {
        lease = default;
        var state = _states.For(target);
        if (ignoreHealth != plan.IsHeldBack(target))
        {
            return false;
        }

        string? reason = null;
        if (!ignoreHealth && plan.Resolution.Group?.HealthCheck is not null && !state.Health.Healthy)
        {
            reason = "unhealthy";
        }
        else if (!ignoreHealth && state.Quota.WouldExceed(target, plan.Estimate))
        {
            reason = "over_quota";
        }

        if (reason is not null)
        {
            if (record)
            {
                plan.HoldBack(target);
                Skip(exchange, target, reason);
            }

            return false;
        }

        var breaker = plan.Resolution.CircuitBreaker is null ? null : state.Breaker;
        var isProbe = false;
        if (breaker is not null && !breaker.TryAcquire(_time, out isProbe))
        {
            soonest = Min(soonest, breaker.RetryAfter(_time));
            if (record)
            {
                Skip(exchange, target, "breaker_open");
            }

            return false;
        }

        lease = new TargetLease(target, breaker, isProbe);
        return true;
    }

    private static void Skip(Exchange exchange, RouteTarget target, string reason) =>
        (exchange.Skipped ??= []).Add(new SkippedTarget(target.Name, reason));

    private long Begin(Exchange exchange, RouteTarget target, long estimate)
    {
        exchange.Target = target;
        exchange.Attempts++;
        var state = _states.For(target);
        state.Stats.Started();
        if (HasQuota(target))
        {
            state.Quota.Sent(estimate);
        }
        return _time.GetTimestamp();
    }

    /// <summary>Books an attempt's outcome: target stats, breaker, quota, the attempt log and the failure log.</summary>
    private void End(Exchange exchange, GroupPlan plan, TargetLease lease, long started, GatewayError? error, bool committed, bool hedge)
    {
        var state = _states.For(lease.Target);
        var breakerConfig = plan.Resolution.CircuitBreaker;
        var ended = _time.GetTimestamp();
        var latency = _time.GetElapsedTime(started, error is null && exchange.FirstByteTimestamp is { } first && first > started ? first : ended);
        string? failureName = null;
        if (error is null)
        {
            state.Stats.Finished(latency);
            lease.Breaker?.ReportSuccess(breakerConfig, _time);
            if (HasQuota(lease.Target))
            {
                // Only this call's tokens: after an output guardrail's route, the exchange's usage includes the rejected answer.
                state.Quota.Correct(exchange.Usage.TotalTokens - (exchange.Reroute?.Usage.TotalTokens ?? 0) - plan.Estimate);
            }
        }
        else
        {
            var failure = FailureClassifier.Classify(error);
            failureName = FailureClassifier.Name(failure);
            if (HasQuota(lease.Target))
            {
                state.Quota.Correct(-plan.Estimate);
            }
            _recorder.UpstreamFailed(lease.Target, error);
            if (FailureClassifier.CountsAgainstTarget(failure) || (committed && error.Blame == Blame.Upstream))
            {
                state.Stats.Finished(null);
                lease.Breaker?.ReportFailure(error, breakerConfig!, _time);
            }
            else
            {
                // The target answered: a client error says nothing against its health.
                state.Stats.Abandoned();
                lease.Breaker?.ReportSuccess(breakerConfig, _time);
            }
        }

        (exchange.AttemptLog ??= []).Add(new AttemptRecord(
            lease.Target.Name,
            error is null ? 200 : error.UpstreamStatus ?? 0,
            Math.Round(latency.TotalMilliseconds, 3),
            error?.Code,
            failureName,
            hedge));
    }

    /// <summary>Only targets with their own quota pay for the quota window (a lock per attempt).</summary>
    private static bool HasQuota(RouteTarget target) => target.MaxRpm is not null || target.MaxTpm is not null;

    private bool DeadlinePassed(Exchange exchange) => exchange.Deadline is { } deadline && _time.GetTimestamp() >= deadline;

    private bool FitsDeadline(Exchange exchange, TimeSpan wait) =>
        exchange.Deadline is not { } deadline || _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency) < deadline;

    private static GatewayError DeadlineError(Exchange exchange) => new(
        ErrorKind.UpstreamTimeout,
        $"The request's deadline passed after {exchange.Attempts} attempt(s) (deadline).",
        "deadline_exceeded");

    private static GatewayError NothingTriedError(Exchange exchange, UpstreamCall call, TimeSpan? soonest)
    {
        var reasons = exchange.Skipped is { } skipped ? string.Join(", ", skipped.Select(s => $"{s.Target}: {s.Reason}").Distinct()) : "none";
        return new GatewayError(
            ErrorKind.UpstreamUnavailable,
            $"No target of '{call.Model}' can take the request now ({reasons}). Retry later.",
            "circuit_open")
        { RetryAfter = soonest };
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>A target cleared to be tried, holding its breaker's probe slot when it is the half-open probe.</summary>
    private readonly record struct TargetLease(RouteTarget Target, CircuitBreaker? Breaker, bool IsProbe)
    {
        public void Release()
        {
            if (IsProbe)
            {
                Breaker!.ReleaseProbe();
            }
        }
    }

    /// <summary>One attempt of a hedge: its target, start, cancellation and the fetch under way.</summary>
    private sealed class HedgeAttempt(TargetLease lease, long started, bool isHedge, CancellationTokenSource cancel, Task<FetchedAnswer> task)
    {
        public TargetLease Lease { get; } = lease;

        public long Started { get; } = started;

        public bool IsHedge { get; } = isHedge;

        public CancellationTokenSource Cancel { get; } = cancel;

        public Task<FetchedAnswer> Task { get; } = task;

        public bool Consumed { get; set; }
    }

    /// <summary>One group's attempt plan for one request.</summary>
    private sealed class GroupPlan(ModelResolution resolution, long estimate, RouteTarget[] targets)
    {
        public ModelResolution Resolution { get; } = resolution;

        public long Estimate { get; } = estimate;

        public RouteTarget[] Targets { get; } = targets;

        // Both sets stay null on the common path (a healthy target answers first time): no allocation per request.
        private HashSet<RouteTarget>? _heldBack;
        private HashSet<RouteTarget>? _tried;

        /// <summary>Whether any target was skipped for health or quota (those are tried in panic mode).</summary>
        public bool HeldBack => _heldBack is { Count: > 0 };

        /// <summary>Whether <paramref name="target"/> was skipped for health or quota.</summary>
        public bool IsHeldBack(RouteTarget target) => _heldBack?.Contains(target) == true;

        /// <summary>Records that <paramref name="target"/> was skipped for health or quota.</summary>
        public void HoldBack(RouteTarget target) => (_heldBack ??= []).Add(target);

        /// <summary>Whether <paramref name="target"/> was already tried as a hedge (not tried again in this group).</summary>
        public bool WasTried(RouteTarget target) => _tried?.Contains(target) == true;

        /// <summary>Records that <paramref name="target"/> was tried as a hedge.</summary>
        public void MarkTried(RouteTarget target) => (_tried ??= []).Add(target);

        /// <summary>Whether this request already hedged (one hedge per request).</summary>
        public bool Hedged { get; set; }
    }
}
