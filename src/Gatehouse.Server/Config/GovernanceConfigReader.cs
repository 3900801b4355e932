using Gatehouse.Governance.Identity.Jwt;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads the <c>governance</c> section: budget alerts, policy files, trusted JWT issuers.</summary>
internal static class GovernanceConfigReader
{
    private static readonly string[] Keys = ["budget_alert_webhook", "policies", "jwt", "anomaly"];
    private static readonly string[] AnomalyKeys = ["enabled", "action", "webhook", "throttle_for", "bucket", "threshold", "warmup_buckets", "min_requests", "min_tokens", "min_cost_usd", "new_models_and_tools"];
    private static readonly string[] IssuerKeys = ["issuer", "audiences", "jwks_uri", "discovery_url", "algorithms", "shared_secret", "clock_skew", "jwks_refresh", "unknown_kid_refresh", "claims"];
    private static readonly string[] ClaimKeys = ["user", "team", "org", "roles", "agent"];

    /// <summary>Reads the section into <paramref name="governance"/>; problems go to the reader's error list.</summary>
    internal static void Read(YamlNodeReader reader, YamlNode node, GovernanceConfig governance)
    {
        foreach (var (key, value) in reader.Entries(node, "governance", Keys))
        {
            switch (key)
            {
                case "budget_alert_webhook":
                    governance.BudgetAlertWebhook = reader.String(value, "governance.budget_alert_webhook");
                    if (governance.BudgetAlertWebhook is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
                    {
                        reader.Error(value, $"'governance.budget_alert_webhook' must be an absolute http(s) URL; got \"{url}\".");
                    }

                    break;
                case "policies":
                    foreach (var file in reader.StringList(value, "governance.policies"))
                    {
                        governance.PolicyFiles.Add((file, (int)value.Start.Line, (int)value.Start.Column));
                    }

                    break;
                case "anomaly":
                    governance.Anomaly = ReadAnomaly(reader, value);
                    break;
                case "jwt":
                    var i = 0;
                    foreach (var item in reader.Items(value, "governance.jwt"))
                    {
                        if (ReadIssuer(reader, item, $"governance.jwt[{i++}]") is { } issuer)
                        {
                            governance.Jwt.Add(issuer);
                        }
                    }

                    break;
            }
        }
    }

    private static JwtIssuerOptions? ReadIssuer(YamlNodeReader reader, YamlNode node, string path)
    {
        string? issuer = null, jwks = null, discovery = null, secret = null;
        List<string> audiences = [], algorithms = [];
        TimeSpan? skew = null, refresh = null, unknownKid = null;
        var claims = new JwtClaimMapping();
        foreach (var (key, value) in reader.Entries(node, path, IssuerKeys))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "issuer": issuer = reader.String(value, at); break;
                case "audiences": audiences = reader.StringList(value, at); break;
                case "jwks_uri": jwks = reader.String(value, at); break;
                case "discovery_url": discovery = reader.String(value, at); break;
                case "algorithms": algorithms = reader.StringList(value, at); break;
                case "shared_secret": secret = reader.String(value, at); break;
                case "clock_skew": skew = reader.Duration(value, at); break;
                case "jwks_refresh": refresh = reader.Duration(value, at); break;
                case "unknown_kid_refresh": unknownKid = reader.Duration(value, at); break;
                case "claims": claims = ReadClaims(reader, value, at); break;
            }
        }

        Uri? jwksUri = null, discoveryUri = null;
        if (jwks is not null && !Uri.TryCreate(jwks, UriKind.Absolute, out jwksUri))
        {
            reader.Error(node, $"'{path}.jwks_uri' must be an absolute URL.");
        }

        if (discovery is not null && !Uri.TryCreate(discovery, UriKind.Absolute, out discoveryUri))
        {
            reader.Error(node, $"'{path}.discovery_url' must be an absolute URL.");
        }

        var options = new JwtIssuerOptions
        {
            Issuer = issuer ?? string.Empty,
            Audiences = audiences,
            JwksUri = jwksUri,
            DiscoveryUri = discoveryUri,
            Algorithms = algorithms.Count > 0 ? algorithms : JwtIssuerOptions.DefaultAlgorithms,
            SharedSecret = secret,
            ClockSkew = skew ?? TimeSpan.FromMinutes(1),
            JwksRefreshInterval = refresh ?? TimeSpan.FromHours(1),
            UnknownKeyRefreshInterval = unknownKid ?? TimeSpan.FromSeconds(30),
            Claims = claims,
        };
        var problems = options.Validate();
        foreach (var problem in problems)
        {
            reader.Error(node, $"'{path}': {problem}");
        }

        return problems.Count == 0 ? options : null;
    }

    private static AnomalyConfig ReadAnomaly(YamlNodeReader reader, YamlNode node)
    {
        var config = new AnomalyConfig();
        var options = config.Options;
        TimeSpan? bucket = null;
        double? threshold = null, minRequests = null, minTokens = null, minCost = null;
        long? warmup = null;
        bool? newModels = null;
        foreach (var (key, value) in reader.Entries(node, "governance.anomaly", AnomalyKeys))
        {
            var at = $"governance.anomaly.{key}";
            switch (key)
            {
                case "enabled": config.Enabled = reader.String(value, at) != "false"; break;
                case "action":
                    var action = reader.String(value, at) ?? "record";
                    if (!AnomalyConfig.Actions.Contains(action))
                    {
                        reader.Error(value, $"'{at}' must be one of {string.Join(", ", AnomalyConfig.Actions)}; got \"{action}\".");
                    }

                    config.Action = action;
                    break;
                case "webhook":
                    config.Webhook = Uri.TryCreate(reader.String(value, at), UriKind.Absolute, out var url) ? url : null;
                    if (config.Webhook is null)
                    {
                        reader.Error(value, $"'{at}' must be an absolute http(s) URL.");
                    }

                    break;
                case "throttle_for": config.ThrottleFor = reader.Duration(value, at) ?? config.ThrottleFor; break;
                case "bucket": bucket = reader.Duration(value, at); break;
                case "threshold": threshold = Number(reader, value, at); break;
                case "warmup_buckets": warmup = reader.Long(value, at, 1); break;
                case "min_requests": minRequests = Number(reader, value, at); break;
                case "min_tokens": minTokens = Number(reader, value, at); break;
                case "min_cost_usd": minCost = Number(reader, value, at); break;
                case "new_models_and_tools": newModels = reader.String(value, at) != "false"; break;
            }
        }

        if (config.Action == "alert" && config.Webhook is null)
        {
            reader.Error(node, "'governance.anomaly.action' alert needs 'governance.anomaly.webhook'.");
        }

        config.Options = new Gatehouse.Inspection.Anomaly.AnomalyOptions
        {
            Bucket = bucket ?? options.Bucket,
            Threshold = threshold ?? options.Threshold,
            WarmupBuckets = (int)(warmup ?? options.WarmupBuckets),
            MinRequests = minRequests ?? options.MinRequests,
            MinTokens = minTokens ?? options.MinTokens,
            MinCostUsd = minCost ?? options.MinCostUsd,
            FlagNewModelsAndTools = newModels ?? options.FlagNewModelsAndTools,
        };
        return config;
    }

    private static double? Number(YamlNodeReader reader, YamlNode node, string path)
    {
        var text = reader.String(node, path);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        reader.Error(node, $"'{path}' must be a positive number; got \"{text}\".");
        return null;
    }

    private static JwtClaimMapping ReadClaims(YamlNodeReader reader, YamlNode node, string path)
    {
        string? user = null, team = null, org = null, roles = null, agent = null;
        foreach (var (key, value) in reader.Entries(node, path, ClaimKeys))
        {
            var text = reader.String(value, $"{path}.{key}");
            switch (key)
            {
                case "user": user = text; break;
                case "team": team = text; break;
                case "org": org = text; break;
                case "roles": roles = text; break;
                case "agent": agent = text; break;
            }
        }

        return new JwtClaimMapping { User = user ?? "sub", Team = team, Org = org, Roles = roles ?? "roles", Agent = agent };
    }
}
