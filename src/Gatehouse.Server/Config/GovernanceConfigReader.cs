using Gatehouse.Governance.Identity.Jwt;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Server.Config;

/// <summary>Reads the <c>governance</c> section: budget alerts, policy files, trusted JWT issuers.</summary>
internal static class GovernanceConfigReader
{
    private static readonly string[] Keys = ["budget_alert_webhook", "policies", "jwt"];
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
