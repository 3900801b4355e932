using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Gatehouse.Server.Telemetry;

/// <summary>
/// The gateway's Prometheus metrics: request, latency, time-to-first-byte, token, cost and upstream-error series,
/// labelled by route, provider, model and status only (never by key or user, to keep cardinality bounded).
/// Updates are lock-free; text is produced at scrape time.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<(string Route, string Provider, string Model, int Status), StrongBox> _requests = new();
    private readonly ConcurrentDictionary<(string Route, string Provider, string Model), Histogram> _duration = new();
    private readonly ConcurrentDictionary<(string Route, string Provider, string Model), Histogram> _ttfb = new();
    private readonly ConcurrentDictionary<(string Provider, string Model, string Type), StrongBox> _tokens = new();
    private readonly ConcurrentDictionary<(string Provider, string Model), StrongBox> _costNanos = new();
    private readonly ConcurrentDictionary<(string Provider, string Model, string Code), StrongBox> _upstreamErrors = new();
    private readonly ConcurrentDictionary<string, StrongBox> _reloads = new();
    private readonly ConcurrentDictionary<string, StrongBox> _governanceRejections = new();
    private readonly ConcurrentDictionary<string, StrongBox> _budgetAlerts = new();
    private readonly ConcurrentDictionary<string, StrongBox> _policyDecisions = new();
    private readonly ConcurrentDictionary<string, StrongBox> _anomalies = new();
    private readonly ConcurrentDictionary<(string Guardrail, string Stage, string Outcome), StrongBox> _guardrails = new();
    private readonly ConcurrentDictionary<(string Provider, string Model), bool> _modelLabels = new();
    private long _inFlight;
    private long _logDropped;

    /// <summary>The label that stands for every model past <see cref="MaxModelLabels"/>.</summary>
    public const string OtherModel = "other";

    /// <summary>
    /// How many distinct provider and model pairs get series of their own. Clients choose model names for providers
    /// without a model list, so past this many the rest are counted under the model <see cref="OtherModel"/>.
    /// </summary>
    public int MaxModelLabels { get; init; } = 2_000;

    /// <summary>A request started.</summary>
    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>A request finished.</summary>
    public void RequestFinished(string route, string? provider, string? model, int status, double seconds, double? ttfbSeconds)
    {
        Interlocked.Decrement(ref _inFlight);
        var p = provider ?? "none";
        var m = Label(p, model ?? "none");
        Interlocked.Increment(ref _requests.GetOrAdd((route, p, m, status), static _ => new StrongBox()).Value);
        _duration.GetOrAdd((route, p, m), static _ => new Histogram()).Observe(seconds);
        if (ttfbSeconds is { } ttfb)
        {
            _ttfb.GetOrAdd((route, p, m), static _ => new Histogram()).Observe(ttfb);
        }
    }

    /// <summary>Adds token usage and cost.</summary>
    public void Usage(string provider, string model, long input, long output, long cached, decimal? cost)
    {
        model = Label(provider, model);
        Add(_tokens, (provider, model, "input"), input);
        Add(_tokens, (provider, model, "output"), output);
        Add(_tokens, (provider, model, "cached_input"), cached);
        if (cost is { } c)
        {
            Add(_costNanos, (provider, model), (long)Math.Round(c * 1_000_000_000m));
        }
    }

    /// <summary>An upstream attempt failed.</summary>
    public void UpstreamError(string provider, string model, string code) =>
        Interlocked.Increment(ref _upstreamErrors.GetOrAdd((provider, Label(provider, model), code), static _ => new StrongBox()).Value);

    // The model's own label while fewer than MaxModelLabels pairs have one, else "other".
    private string Label(string provider, string model)
    {
        if (_modelLabels.ContainsKey((provider, model)))
        {
            return model;
        }

        return _modelLabels.Count < MaxModelLabels && _modelLabels.TryAdd((provider, model), true) || _modelLabels.ContainsKey((provider, model))
            ? model
            : OtherModel;
    }

    /// <summary>A request log record was dropped because the writer fell behind.</summary>
    public void RequestLogDropped() => Interlocked.Increment(ref _logDropped);

    /// <summary>A configuration reload was attempted.</summary>
    public void ConfigReload(bool succeeded) =>
        Interlocked.Increment(ref _reloads.GetOrAdd(succeeded ? "success" : "failure", static _ => new StrongBox()).Value);

    /// <summary>A request was refused by governance (authentication, policy, rate limit, budget), by reason code.</summary>
    public void GovernanceRejection(string code) => Add(_governanceRejections, code, 1);

    /// <summary>A policy decision was made; <paramref name="shadowDiffers"/> when a shadow policy would have decided otherwise.</summary>
    public void PolicyDecision(bool allowed, bool shadowDiffers) =>
        Add(_policyDecisions, allowed ? shadowDiffers ? "allow|true" : "allow|false" : shadowDiffers ? "deny|true" : "deny|false", 1);

    /// <summary>The anomaly detector flagged a signal (labelled by signal, never by identity).</summary>
    public void Anomaly(string signal) => Add(_anomalies, signal, 1);

    /// <summary>A budget crossed a soft threshold (labelled by period, never by key or user).</summary>
    public void BudgetAlert(string period) => Add(_budgetAlerts, period, 1);

    /// <summary>A guardrail reached a verdict on one stage of a request (labelled by guardrail, stage and outcome only).</summary>
    public void GuardrailVerdict(string guardrail, string stage, string outcome) => Add(_guardrails, (guardrail, stage, outcome), 1);

    /// <summary>Renders the Prometheus text exposition format.</summary>
    public string Render()
    {
        var o = new StringBuilder(4096);
        Header(o, "gatehouse_requests_total", "counter", "Requests answered, by route, provider, model and HTTP status.");
        foreach (var (k, v) in _requests)
        {
            o.Append("gatehouse_requests_total{").Append(Labels(("route", k.Route), ("provider", k.Provider), ("model", k.Model)))
                .Append(",status=\"").Append(k.Status).Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_request_duration_seconds", "histogram", "Time from request arrival to the last byte sent.");
        foreach (var (k, h) in _duration)
        {
            h.Write(o, "gatehouse_request_duration_seconds", Labels(("route", k.Route), ("provider", k.Provider), ("model", k.Model)));
        }

        Header(o, "gatehouse_time_to_first_byte_seconds", "histogram", "Time from request arrival to the first response byte.");
        foreach (var (k, h) in _ttfb)
        {
            h.Write(o, "gatehouse_time_to_first_byte_seconds", Labels(("route", k.Route), ("provider", k.Provider), ("model", k.Model)));
        }

        Header(o, "gatehouse_tokens_total", "counter", "Tokens by provider, model and class, as reported by providers.");
        foreach (var (k, v) in _tokens)
        {
            o.Append("gatehouse_tokens_total{").Append(Labels(("provider", k.Provider), ("model", k.Model), ("type", k.Type)))
                .Append("} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_cost_usd_total", "counter", "Spend in USD computed from the model catalog.");
        foreach (var (k, v) in _costNanos)
        {
            o.Append("gatehouse_cost_usd_total{").Append(Labels(("provider", k.Provider), ("model", k.Model))).Append("} ")
                .Append((Interlocked.Read(ref v.Value) / 1_000_000_000m).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Header(o, "gatehouse_upstream_errors_total", "counter", "Failed upstream attempts, by provider, model and error code.");
        foreach (var (k, v) in _upstreamErrors)
        {
            o.Append("gatehouse_upstream_errors_total{").Append(Labels(("provider", k.Provider), ("model", k.Model), ("code", k.Code)))
                .Append("} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_config_reloads_total", "counter", "Configuration reloads, by result.");
        foreach (var (k, v) in _reloads)
        {
            o.Append("gatehouse_config_reloads_total{result=\"").Append(k).Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_governance_rejections_total", "counter", "Requests refused by governance, by reason code.");
        foreach (var (k, v) in _governanceRejections)
        {
            o.Append("gatehouse_governance_rejections_total{code=\"").Append(k).Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_policy_decisions_total", "counter", "Policy decisions, by result and whether a shadow policy would have decided otherwise.");
        foreach (var (k, v) in _policyDecisions)
        {
            var bar = k.IndexOf('|', StringComparison.Ordinal);
            o.Append("gatehouse_policy_decisions_total{result=\"").Append(k.AsSpan(0, bar)).Append("\",shadow_differs=\"").Append(k.AsSpan(bar + 1))
                .Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_anomalies_total", "counter", "Traffic anomalies flagged, by signal.");
        foreach (var (k, v) in _anomalies)
        {
            o.Append("gatehouse_anomalies_total{signal=\"").Append(k).Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_budget_alerts_total", "counter", "Budget soft thresholds crossed, by budget period.");
        foreach (var (k, v) in _budgetAlerts)
        {
            o.Append("gatehouse_budget_alerts_total{period=\"").Append(k).Append("\"} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_guardrail_verdicts_total", "counter", "Guardrail verdicts, by guardrail, stage and outcome (pass, flagged, redacted, routed, not_scanned, failed_closed, blocked).");
        foreach (var (k, v) in _guardrails)
        {
            o.Append("gatehouse_guardrail_verdicts_total{").Append(Labels(("guardrail", k.Guardrail), ("stage", k.Stage), ("outcome", k.Outcome)))
                .Append("} ").Append(Interlocked.Read(ref v.Value)).Append('\n');
        }

        Header(o, "gatehouse_in_flight_requests", "gauge", "Requests being served now.");
        o.Append("gatehouse_in_flight_requests ").Append(Interlocked.Read(ref _inFlight)).Append('\n');
        Header(o, "gatehouse_request_log_dropped_total", "counter", "Request log records dropped because the writer fell behind.");
        o.Append("gatehouse_request_log_dropped_total ").Append(Interlocked.Read(ref _logDropped)).Append('\n');
        RuntimeMetrics.Write(o);
        return o.ToString();
    }

    private static void Add<TKey>(ConcurrentDictionary<TKey, StrongBox> cells, TKey key, long amount)
        where TKey : notnull
    {
        if (amount != 0)
        {
            Interlocked.Add(ref cells.GetOrAdd(key, static _ => new StrongBox()).Value, amount);
        }
    }

    internal static void Header(StringBuilder o, string name, string type, string help) =>
        o.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    internal static string Labels(params ReadOnlySpan<(string Name, string Value)> labels)
    {
        var b = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (b.Length > 0)
            {
                b.Append(',');
            }

            b.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        return b.ToString();
    }

    /// <summary>A mutable counter cell.</summary>
    private sealed class StrongBox
    {
        public long Value;
    }
}
