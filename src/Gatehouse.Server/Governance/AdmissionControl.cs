using System.Globalization;
using System.Runtime.ExceptionServices;
using Gatehouse.Core;
using Gatehouse.Governance;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Stage 4, admit: rate limits (requests and tokens per minute, concurrent requests) on every scope of the caller
/// and the model, then an atomic budget reservation of the most the request can cost, clamping its output tokens to
/// what the budgets can pay for. Stage 10, settle, replaces the reservation with actual usage.
/// </summary>
public sealed partial class AdmissionControl
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly GovernanceState _state;
    private readonly IRateLimitCounter _rates;
    private readonly IConcurrencyCounter _concurrency;
    private readonly IBudgetCounter _budgets;
    private readonly AuditWriter _audit;
    private readonly BudgetAlerts _alerts;

    /// <summary>Creates the stage.</summary>
    public AdmissionControl(GovernanceState state, IRateLimitCounter rates, IConcurrencyCounter concurrency, IBudgetCounter budgets, AuditWriter audit, BudgetAlerts alerts)
    {
        _state = state;
        _rates = rates;
        _concurrency = concurrency;
        _budgets = budgets;
        _audit = audit;
        _alerts = alerts;
    }

    /// <summary>
    /// Admits the request or answers why not (429 for limits, 402 for budgets, 503 when the shared counters are
    /// unreachable and the gateway fails closed).
    /// </summary>
    public async ValueTask<(Admission? Admission, GatewayError? Error)> AdmitAsync(AdmissionRequest request, HttpContext http)
    {
        if (request.Principal.Kind == PrincipalKind.Open)
        {
            return (Admission.None, null);
        }

        var concurrency = new List<string>(2);
        var tokenLimits = new List<(string, RateLimitRule)>(2);
        var taken = new List<(string, RateLimitRule)>(2);
        try
        {
            return await AdmitCountedAsync(request, http, concurrency, tokenLimits, taken);
        }
        catch (CountersUnavailableException)
        {
            await UndoAsync(taken, tokenLimits, concurrency, request.EstimatedPromptTokens);
            return (null, Unavailable);
        }
    }

    private async ValueTask<(Admission? Admission, GatewayError? Error)> AdmitCountedAsync(
        AdmissionRequest request, HttpContext http, List<string> concurrency, List<(string, RateLimitRule)> tokenLimits, List<(string, RateLimitRule)> taken)
    {
        var principal = request.Principal;
        var directory = _state.Current;
        if (directory.Limits.Count == 0 && directory.Budgets.Count == 0)
        {
            // Nothing to count or reserve: no per-request lists, no counter calls.
            return (Admission.None, null);
        }

        // Every limit of every scope is asked at once and awaited after: on Redis each check is a round trip, and
        // they are independent, so the wait is the slowest one instead of the sum. What a denial leaves taken is
        // given back below.
        var cancel = http.RequestAborted;
        var checks = StartLimitChecks(request, directory, string.Concat("model:", request.Model), cancel);
        RateLimitDecision? tightestRequests = null;
        RateLimitDecision? tightestTokens = null;
        GatewayError? denial = null;
        Exception? failure = null;
        foreach (var check in checks)
        {
            try
            {
                switch (check.Kind)
                {
                    case LimitKind.Requests or LimitKind.Tokens:
                        var decision = await check.Acquiring;
                        var requests = check.Kind == LimitKind.Requests;
                        if (!decision.Allowed)
                        {
                            denial ??= Limited(
                                $"Rate limit reached for {check.Scope}: {check.Rule.Limit} {(requests ? "requests" : "tokens")} per minute.",
                                requests ? "rate_limit_requests" : "rate_limit_tokens",
                                decision.RetryAfter);
                        }
                        else if (requests)
                        {
                            taken.Add((check.Key, check.Rule));
                            tightestRequests = Tighter(tightestRequests, decision);
                        }
                        else
                        {
                            tokenLimits.Add((check.Key, check.Rule));
                            tightestTokens = Tighter(tightestTokens, decision);
                        }

                        break;
                    default:
                        if (await check.Entering)
                        {
                            concurrency.Add(check.Key);
                        }
                        else
                        {
                            denial ??= Limited($"Too many concurrent requests for {check.Scope}: at most {check.Rule.Limit} at once.", "rate_limit_concurrency", TimeSpan.FromSeconds(1));
                        }

                        break;
                }
            }
            catch (Exception ex)
            {
                // Keep awaiting the others: each must be observed, and what they took must be known to give it back.
                failure ??= ex;
            }
        }

        if (failure is not null)
        {
            // Counters unavailable: AdmitAsync gives back what was taken and answers 503; anything else is given back here.
            if (failure is not CountersUnavailableException)
            {
                await UndoAsync(taken, tokenLimits, concurrency, request.EstimatedPromptTokens);
            }

            ExceptionDispatchInfo.Throw(failure);
        }

        if (denial is not null)
        {
            await UndoAsync(taken, tokenLimits, concurrency, request.EstimatedPromptTokens);
            Reject(request, http, "rate_limited", denial.Message);
            return (null, denial);
        }

        WriteHeaders(http.Response, tightestRequests, tightestTokens);
        var budgets = BudgetsFor(principal, directory, http);
        BudgetReservation? reservation = null;
        int? granted = null;
        if (budgets.Count > 0)
        {
            var ask = request.Ask();
            var outcome = await _budgets.TryReserveAsync(budgets, ask, cancel);
            if (outcome.Reservation is null)
            {
                await UndoAsync(taken, tokenLimits, concurrency, request.EstimatedPromptTokens);
                var error = BudgetExceeded(outcome);
                Reject(request, http, "budget_exceeded", error.Message);
                return (null, error);
            }

            reservation = outcome.Reservation;
            if (request.MaxOutputTokens is null || reservation.GrantedOutputTokens < request.MaxOutputTokens)
            {
                granted = (int)Math.Min(int.MaxValue, reservation.GrantedOutputTokens);
            }
        }

        return (new Admission(reservation, concurrency, tokenLimits, request.EstimatedPromptTokens, granted), null);
    }

    /// <summary>Settles the admission with actual usage and releases its slots; safe to call once per request.</summary>
    public async ValueTask SettleAsync(Admission admission, ExchangeCharges charges)
    {
        if (admission.Finished || ReferenceEquals(admission, Admission.None))
        {
            return;
        }

        admission.Finished = true;

        // Like admission, the independent counter updates are started together and awaited after; each ValueTask is
        // awaited exactly once, below.
#pragma warning disable CA2012
        var updates = admission.ConcurrencyKeys.Count + admission.TokenLimits.Count;
        var pending = updates == 0 ? null : new List<ValueTask>(updates);
        foreach (var key in admission.ConcurrencyKeys)
        {
            pending!.Add(_concurrency.ExitAsync(key));
        }

        foreach (var (key, rule) in admission.TokenLimits)
        {
            pending!.Add(_rates.ChargeAsync(key, rule, charges.Tokens - Math.Min(admission.EstimatedTokens, rule.Limit), CancellationToken.None));
        }

        var settling = admission.Reservation is { } reservation
            ? _budgets.SettleAsync(reservation, charges.CostUsd is { } cost ? BudgetLimit.ToNanoUsd(cost) : 0, charges.Tokens, CancellationToken.None)
            : ValueTask.FromResult<IReadOnlyList<BudgetAlert>>([]);
#pragma warning restore CA2012
        Exception? failure = null;
        for (var i = 0; i < updates; i++)
        {
            try
            {
                await pending![i];
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }

        foreach (var alert in await settling)
        {
            _alerts.Raise(alert);
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Starts every rate-limit and concurrency check that applies to the request, in scope order.</summary>
    private List<LimitCheck> StartLimitChecks(AdmissionRequest request, GovernanceDirectory directory, string modelScope, CancellationToken cancel)
    {
        var principal = request.Principal;
        var checks = new List<LimitCheck>(4);
        var scopeCount = principal.Scopes.Count + 1;
        for (var i = 0; i < scopeCount; i++)
        {
            var scope = i < principal.Scopes.Count ? principal.Scopes[i] : modelScope;
            if (directory.LimitOf(scope) is not { } limit)
            {
                continue;
            }

            // Per-model limits count per caller, not for everyone together.
            var key = i < principal.Scopes.Count ? scope : string.Concat(modelScope, "|", principal.Scopes[0]);
            if (limit.RequestsPerMinute is { } rpm)
            {
                var rule = new RateLimitRule(rpm, Minute);
                var counter = string.Concat("rpm|", key);
                checks.Add(new LimitCheck(LimitKind.Requests, scope, counter, rule, _rates.TryAcquireAsync(counter, rule, 1, cancel), default));
            }

            if (limit.TokensPerMinute is { } tpm)
            {
                var rule = new RateLimitRule(tpm, Minute);
                var counter = string.Concat("tpm|", key);
                checks.Add(new LimitCheck(LimitKind.Tokens, scope, counter, rule, _rates.TryAcquireAsync(counter, rule, Math.Min(request.EstimatedPromptTokens, tpm), cancel), default));
            }

            if (limit.MaxConcurrent is { } max)
            {
                var counter = string.Concat("conc|", key);
                checks.Add(new LimitCheck(LimitKind.Concurrency, scope, counter, new RateLimitRule(max, TimeSpan.Zero), default, _concurrency.TryEnterAsync(counter, max, cancel)));
            }
        }

        return checks;
    }

    private static List<BudgetLimit> BudgetsFor(Principal principal, GovernanceDirectory directory, HttpContext http)
    {
        var budgets = new List<BudgetLimit>();
        foreach (var scope in principal.Scopes)
        {
            budgets.AddRange(directory.BudgetsOf(scope));
        }

        // An agent's per-session budget: a template on "session:agent:ID", one counter per x-gatehouse-session-id.
        if (principal.AgentId is { } agent && http.Request.Headers["x-gatehouse-session-id"].ToString() is { Length: > 0 and <= 128 } session)
        {
            foreach (var template in directory.BudgetsOf(string.Concat("session:agent:", agent)))
            {
                budgets.Add(template with { Id = string.Concat(template.Id, "#", session), Scope = string.Concat("session:", agent, ":", session) });
            }
        }

        return budgets;
    }

    private async ValueTask UndoAsync(List<(string Key, RateLimitRule Rule)> requests, List<(string Key, RateLimitRule Rule)> tokens, List<string> concurrency, long estimate)
    {
        foreach (var (key, rule) in requests)
        {
            await _rates.ChargeAsync(key, rule, -1, CancellationToken.None);
        }

        foreach (var (key, rule) in tokens)
        {
            await _rates.ChargeAsync(key, rule, -Math.Min(estimate, rule.Limit), CancellationToken.None);
        }

        foreach (var key in concurrency)
        {
            await _concurrency.ExitAsync(key);
        }
    }

    private void Reject(AdmissionRequest request, HttpContext http, string outcome, string reason) => _audit.Enqueue(new AuditEntry
    {
        Time = _audit.Time.GetUtcNow(),
        Actor = request.Principal.Actor,
        Action = request.Action,
        Target = string.Concat("model:", request.Model),
        Outcome = outcome,
        Reason = reason,
        RequestId = request.RequestId,
        SourceIp = http.Connection.RemoteIpAddress?.ToString(),
    });

    private static GatewayError BudgetExceeded(BudgetOutcome outcome)
    {
        var budget = outcome.Exhausted!;
        var limit = budget.MaxNanoUsd is { } usd ? string.Create(CultureInfo.InvariantCulture, $"${BudgetLimit.ToUsd(usd):0.######}") : $"{budget.MaxTokens} tokens";
        var resets = outcome.ResetsAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"; it resets at {at:yyyy-MM-ddTHH:mm:ssZ}") : string.Empty;
        return new GatewayError(
            ErrorKind.BudgetExceeded,
            $"Budget '{budget.Id}' of {budget.Scope} ({limit} {BudgetWindow.Name(budget.Period)}) cannot pay for this request{resets}.",
            "budget_exceeded");
    }

    private static GatewayError Unavailable { get; } = new(
        ErrorKind.Internal,
        "Rate-limit and budget counters are unavailable right now, so the request cannot be admitted; retry shortly.",
        "governance_unavailable")
    {
        StatusOverride = 503,
        RetryAfter = TimeSpan.FromSeconds(1),
    };

    private static GatewayError Limited(string message, string code, TimeSpan retryAfter) =>
        new(ErrorKind.RateLimited, message, code) { RetryAfter = retryAfter };

    private static RateLimitDecision Tighter(RateLimitDecision? current, RateLimitDecision candidate) =>
        current is { } c && c.Remaining <= candidate.Remaining ? c : candidate;

    private static void WriteHeaders(HttpResponse response, RateLimitDecision? requests, RateLimitDecision? tokens)
    {
        if (requests is { } r)
        {
            response.Headers["x-ratelimit-limit-requests"] = r.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-requests"] = r.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-requests"] = Duration(r.ResetAfter);
        }

        if (tokens is { } t)
        {
            response.Headers["x-ratelimit-limit-tokens"] = t.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-tokens"] = t.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-tokens"] = Duration(t.ResetAfter);
        }
    }

    private enum LimitKind
    {
        Requests,
        Tokens,
        Concurrency,
    }

    /// <summary>One started limit check: a rate-limit acquisition, or a concurrency entry (then Rule.Limit is the maximum).</summary>
    private readonly record struct LimitCheck(
        LimitKind Kind, string Scope, string Key, RateLimitRule Rule, ValueTask<RateLimitDecision> Acquiring, ValueTask<bool> Entering);

    /// <summary>Formats a duration the way OpenAI's rate-limit headers do (<c>6m0s</c>, <c>1.5s</c>, <c>20ms</c>).</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Ceiling(value.TotalMilliseconds))}ms");
        }

        if (value < Minute)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalSeconds, 3)}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalMinutes}m{value.Seconds}s");
    }
}
