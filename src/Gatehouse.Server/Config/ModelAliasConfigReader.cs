using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads one <c>models[]</c> entry: a virtual model's targets, strategy and failure policies.</summary>
internal static class ModelAliasConfigReader
{
    private static readonly string[] AliasKeys = ["name", "targets", "strategy", "retry", "circuit_breaker", "deadline", "fallbacks", "hedge", "health_check"];
    private static readonly string[] TargetKeys = ["provider", "model", "weight", "base_url", "api_key", "region", "max_rpm", "max_tpm"];

    /// <summary>The failure class names accepted in <c>retry.on</c> and <c>fallbacks[].on</c>.</summary>
    public static IReadOnlyDictionary<string, FailureClass> FailureNames { get; } = new Dictionary<string, FailureClass>(StringComparer.Ordinal)
    {
        ["connect"] = FailureClass.Connect,
        ["timeout"] = FailureClass.Timeout,
        ["429"] = FailureClass.RateLimited,
        ["5xx"] = FailureClass.ServerError,
        ["error"] = FailureClass.Retryable,
        ["context_length"] = FailureClass.ContextLength,
        ["content_policy"] = FailureClass.ContentPolicy,
    };

    /// <summary>Reads the entry at <paramref name="path"/>.</summary>
    public static ModelAliasConfig Read(YamlNodeReader reader, YamlNode node, string path)
    {
        var alias = new ModelAliasConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in reader.Entries(node, path, AliasKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name":
                    alias.Name = reader.String(value, at) ?? string.Empty;
                    break;
                case "strategy":
                    alias.Strategy = ReadStrategy(reader, value, at) ?? alias.Strategy;
                    break;
                case "retry":
                    ReadRetry(reader, value, at, alias.Retry);
                    break;
                case "circuit_breaker":
                    ReadBreaker(reader, value, at, alias.CircuitBreaker);
                    break;
                case "deadline":
                    alias.Deadline = reader.Duration(value, at);
                    break;
                case "fallbacks":
                    ReadFallbacks(reader, value, at, alias.Fallbacks);
                    break;
                case "hedge":
                    alias.Hedge = ReadHedge(reader, value, at);
                    break;
                case "health_check":
                    alias.HealthCheck = ReadHealthCheck(reader, value, at);
                    break;
                default:
                    var i = 0;
                    foreach (var item in reader.Items(value, at))
                    {
                        alias.Targets.Add(ReadTarget(reader, item, $"{at}[{i++}]"));
                    }

                    break;
            }
        }

        if (alias.Name.Length == 0)
        {
            reader.Error(node, $"'{path}.name' is required.");
        }

        if (alias.Targets.Count == 0)
        {
            reader.Error(node, $"'{path}.targets' must list at least one {{provider, model}}.");
        }

        return alias;
    }

    private static string? ReadStrategy(YamlNodeReader reader, YamlNode value, string path)
    {
        var strategy = reader.String(value, path);
        if (strategy is not null && !Runtime.RoutingStrategy.Names.Contains(strategy))
        {
            reader.Error(value, $"'{path}' must be one of {string.Join(", ", Runtime.RoutingStrategy.Names)}; got \"{strategy}\".");
            return null;
        }

        return strategy;
    }

    private static void ReadRetry(YamlNodeReader reader, YamlNode node, string path, RetryConfig retry)
    {
        foreach (var (key, value) in reader.Entries(node, path, ["attempts", "backoff", "max_backoff", "on"]))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "attempts":
                    if (reader.Long(value, at, 1) is { } attempts)
                    {
                        if (attempts > 10)
                        {
                            reader.Error(value, $"'{at}' must be from 1 to 10: more attempts per target turn an outage into a retry storm.");
                        }
                        else
                        {
                            retry.Attempts = (int)attempts;
                        }
                    }

                    break;
                case "backoff":
                    retry.Backoff = reader.Duration(value, at) ?? retry.Backoff;
                    break;
                case "max_backoff":
                    retry.MaxBackoff = reader.Duration(value, at) ?? retry.MaxBackoff;
                    break;
                default:
                    retry.On = ReadFailureClasses(reader, value, at);
                    break;
            }
        }
    }

    private static FailureClass ReadFailureClasses(YamlNodeReader reader, YamlNode value, string path)
    {
        var classes = FailureClass.None;
        var names = value is YamlScalarNode ? [reader.String(value, path) ?? string.Empty] : reader.StringList(value, path);
        foreach (var name in names)
        {
            if (FailureNames.TryGetValue(name, out var failure))
            {
                classes |= failure;
            }
            else
            {
                var hint = YamlNodeReader.Closest(name, FailureNames.Keys);
                reader.Error(value, $"'{path}': unknown failure '{name}' (known: {string.Join(", ", FailureNames.Keys)}){(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            }
        }

        return classes;
    }

    private static void ReadBreaker(YamlNodeReader reader, YamlNode node, string path, CircuitBreakerConfig breaker)
    {
        foreach (var (key, value) in reader.Entries(node, path, ["failures", "cool_down", "error_rate", "window", "min_requests"]))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "failures":
                    breaker.Failures = (int)(reader.Long(value, at, 1) ?? breaker.Failures);
                    break;
                case "cool_down":
                    breaker.CoolDown = reader.Duration(value, at) ?? breaker.CoolDown;
                    break;
                case "error_rate":
                    breaker.ErrorRate = ReadFraction(reader, value, at) ?? breaker.ErrorRate;
                    break;
                case "window":
                    breaker.Window = reader.Duration(value, at) ?? breaker.Window;
                    break;
                default:
                    breaker.MinRequests = (int)(reader.Long(value, at, 1) ?? breaker.MinRequests);
                    break;
            }
        }
    }

    private static void ReadFallbacks(YamlNodeReader reader, YamlNode node, string path, List<FallbackConfig> fallbacks)
    {
        var i = 0;
        foreach (var item in reader.Items(node, path))
        {
            var at = $"{path}[{i++}]";
            var fallback = new FallbackConfig { Line = (int)item.Start.Line };
            foreach (var (key, value) in reader.Entries(item, at, ["model", "on"]))
            {
                if (key == "model")
                {
                    fallback.Model = reader.String(value, $"{at}.model") ?? string.Empty;
                }
                else
                {
                    fallback.On = ReadFailureClasses(reader, value, $"{at}.on");
                }
            }

            if (fallback.Model.Length == 0)
            {
                reader.Error(item, $"'{at}.model' is required: the model to try when this one fails.");
            }

            fallbacks.Add(fallback);
        }
    }

    private static HedgeConfig ReadHedge(YamlNodeReader reader, YamlNode node, string path)
    {
        var hedge = new HedgeConfig();
        foreach (var (key, value) in reader.Entries(node, path, ["after", "initial"]))
        {
            var at = $"{path}.{key}";
            if (key == "initial")
            {
                hedge.Initial = reader.Duration(value, at) ?? hedge.Initial;
            }
            else if (value is YamlScalarNode { Value: "p95" })
            {
                hedge.After = null;
            }
            else
            {
                hedge.After = reader.Duration(value, at);
            }
        }

        return hedge;
    }

    private static HealthCheckConfig ReadHealthCheck(YamlNodeReader reader, YamlNode node, string path)
    {
        var check = new HealthCheckConfig();
        foreach (var (key, value) in reader.Entries(node, path, ["interval", "timeout", "unhealthy_after", "healthy_after"]))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "interval":
                    check.Interval = reader.Duration(value, at) ?? check.Interval;
                    break;
                case "timeout":
                    check.Timeout = reader.Duration(value, at) ?? check.Timeout;
                    break;
                case "unhealthy_after":
                    check.UnhealthyAfter = (int)(reader.Long(value, at, 1) ?? check.UnhealthyAfter);
                    break;
                default:
                    check.HealthyAfter = (int)(reader.Long(value, at, 1) ?? check.HealthyAfter);
                    break;
            }
        }

        return check;
    }

    private static TargetConfig ReadTarget(YamlNodeReader reader, YamlNode item, string path)
    {
        var target = new TargetConfig { Line = (int)item.Start.Line };
        foreach (var (key, value) in reader.Entries(item, path, TargetKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "provider":
                    target.Provider = reader.String(value, at) ?? string.Empty;
                    break;
                case "model":
                    target.Model = reader.String(value, at) ?? string.Empty;
                    break;
                case "base_url":
                    target.BaseUrl = reader.String(value, at);
                    if (target.BaseUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
                    {
                        reader.Error(value, $"'{at}' must be an absolute URL; got \"{url}\".");
                    }

                    break;
                case "api_key":
                    target.ApiKey = reader.String(value, at);
                    break;
                case "region":
                    target.Region = reader.String(value, at);
                    break;
                case "max_rpm":
                    target.MaxRpm = reader.Long(value, at, 1);
                    break;
                case "max_tpm":
                    target.MaxTpm = reader.Long(value, at, 1);
                    break;
                default:
                    target.Weight = ReadPositive(reader, value, at) ?? target.Weight;
                    break;
            }
        }

        if (target.Provider.Length == 0 || target.Model.Length == 0)
        {
            reader.Error(item, $"'{path}' needs both 'provider' and 'model'.");
        }

        return target;
    }

    private static double? ReadPositive(YamlNodeReader reader, YamlNode value, string path)
    {
        var text = reader.String(value, path);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number))
        {
            return number;
        }

        reader.Error(value, $"'{path}' must be a positive number; got \"{text}\".");
        return null;
    }

    private static double? ReadFraction(YamlNodeReader reader, YamlNode value, string path)
    {
        var text = reader.String(value, path);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= 1)
        {
            return number;
        }

        reader.Error(value, $"'{path}' must be a fraction above 0 and at most 1 (0.5 = half the attempts failed); got \"{text}\".");
        return null;
    }
}
