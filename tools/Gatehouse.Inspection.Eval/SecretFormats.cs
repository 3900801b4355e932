using System.Globalization;
using System.Text;

namespace Gatehouse.Inspection.Eval;

/// <summary>
/// Credential formats for every built-in secret rule, written from the providers' documented token shapes (prefix,
/// alphabet, length, checksum where there is one). Values are random: none of them is a real credential.
/// </summary>
internal static class SecretFormats
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digit = "0123456789";
    private const string Alnum = Upper + Lower + Digit;
    private const string UrlSafe = Alnum + "_-";
    private const string Base64 = Alnum + "+/";
    private const string Hex = "0123456789abcdef";

    /// <summary>One format per rule id.</summary>
    public static IReadOnlyList<SecretFormat> All { get; } =
    [
        new("aws-access-key-id", r => Pick(r, "AKIA", "ASIA") + R(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
        new("aws-secret-access-key", r => R(r, Base64, 40), "aws_secret_access_key = {secret}"),
        new("aws-mws-auth-token", r => "amzn.mws." + Guid(r)),
        new("google-api-key", r => "AIza" + R(r, UrlSafe, 35)),
        new("gcp-service-account-key", r => R(r, Hex, 40), "  \"private_key_id\": \"{secret}\","),
        new("google-oauth-client-secret", r => "GOCSPX-" + R(r, UrlSafe, 28)),
        new("google-oauth-access-token", r => "ya29." + R(r, UrlSafe, 150)),
        new("azure-storage-connection-string", r => R(r, Base64, 86) + "==", "DefaultEndpointsProtocol=https;AccountName=prodlogs01;AccountKey={secret};EndpointSuffix=core.windows.net"),
        new("azure-service-bus-connection-string", r => R(r, Base64, 43) + "=", "Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={secret}"),
        new("azure-sas-token", r => R(r, Alnum + "%", 43) + "%3D", "https://prodlogs01.blob.core.windows.net/exports/report.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T23:59:59Z&spr=https&sig={secret}"),
        new("azure-ad-client-secret", r => R(r, Alnum, 3) + R(r, Digit, 1) + "Q~" + R(r, UrlSafe + "~.", 34)),
        new("azure-openai-key", r => R(r, Hex, 32), "AZURE_OPENAI_API_KEY={secret}"),
        new("digitalocean-pat", r => "dop_v1_" + R(r, Hex, 64)),
        new("digitalocean-oauth-token", r => "doo_v1_" + R(r, Hex, 64)),
        new("digitalocean-refresh-token", r => "dor_v1_" + R(r, Hex, 64)),
        new("heroku-api-key", Guid, "HEROKU_API_KEY={secret}"),
        new("heroku-api-key-v2", r => "HRKU-" + R(r, UrlSafe, 60)),
        new("cloudflare-origin-ca-key", r => "v1.0-" + R(r, Hex, 24) + "-" + R(r, Hex, 146)),
        new("flyio-token", r => "fo1_" + R(r, UrlSafe, 43)),
        new("supabase-token", r => "sbp_" + R(r, Hex, 40)),
        new("planetscale-token", r => "pscale_tkn_" + R(r, UrlSafe, 43)),
        new("databricks-token", r => "dapi" + R(r, Hex, 32)),
        new("github-pat", r => GitHub(r, "ghp_")),
        new("github-fine-grained-pat", r => "github_pat_11" + R(r, Upper + Digit, 20) + "_" + R(r, Alnum, 59)),
        new("github-oauth-token", r => GitHub(r, "gho_")),
        new("github-user-to-server-token", r => GitHub(r, "ghu_")),
        new("github-server-to-server-token", r => GitHub(r, "ghs_")),
        new("github-refresh-token", r => GitHub(r, "ghr_")),
        new("gitlab-pat", r => "glpat-" + R(r, UrlSafe, 20)),
        new("gitlab-pipeline-trigger-token", r => "glptt-" + R(r, Hex, 40)),
        new("gitlab-runner-token", r => "glrt-" + R(r, UrlSafe, 20)),
        new("gitlab-deploy-token", r => "gldt-" + R(r, UrlSafe, 20)),
        new("gitlab-oauth-app-secret", r => "gloas-" + R(r, Hex, 64)),
        new("bitbucket-app-password", r => "ATBB" + R(r, Alnum, 32)),
        new("atlassian-api-token", r => "ATATT3xFfGF0" + R(r, UrlSafe, 171) + "=" + R(r, Upper + Digit, 8)),
        new("atlassian-access-token", r => "ATCTT3xFfGN0" + R(r, UrlSafe, 171) + "=" + R(r, Upper + Digit, 8)),
        new("slack-bot-token", r => "xoxb-" + R(r, Digit, 12) + "-" + R(r, Digit, 13) + "-" + R(r, Alnum, 24)),
        new("slack-user-token", r => "xoxp-" + R(r, Digit, 12) + "-" + R(r, Digit, 12) + "-" + R(r, Digit, 13) + "-" + R(r, Hex, 32)),
        new("slack-app-token", r => "xapp-1-A" + R(r, Upper + Digit, 10) + "-" + R(r, Digit, 13) + "-" + R(r, Hex, 64)),
        new("slack-config-token", r => "xoxe.xoxp-1-" + R(r, Upper + Digit, 163)),
        new("slack-webhook-url", r => "https://hooks.slack.com/services/T" + R(r, Upper + Digit, 8) + "/B" + R(r, Upper + Digit, 10) + "/" + R(r, Alnum, 24)),
        new("discord-webhook-url", r => "https://discord.com/api/webhooks/" + R(r, Digit, 18) + "/" + R(r, UrlSafe, 68)),
        new("discord-bot-token", r => "M" + R(r, Alnum, 25) + "." + R(r, UrlSafe, 6) + "." + R(r, UrlSafe, 38), "DISCORD_BOT_TOKEN={secret}"),
        new("telegram-bot-token", r => R(r, Digit, 10) + ":AA" + R(r, UrlSafe, 33)),
        new("linear-api-key", r => "lin_api_" + R(r, Alnum, 40)),
        new("notion-integration-token", r => "secret_" + R(r, Alnum, 43)),
        new("notion-token-v2", r => "ntn_" + R(r, Digit, 11) + R(r, Alnum, 35)),
        new("airtable-pat", r => "pat" + R(r, Alnum, 14) + "." + R(r, Hex, 64)),
        new("figma-pat", r => "figd_" + R(r, UrlSafe, 40)),
        new("typeform-pat", r => "tfp_" + R(r, UrlSafe, 44) + "_" + R(r, UrlSafe, 14)),
        new("shopify-access-token", r => "shpat_" + R(r, Hex, 32)),
        new("shopify-custom-app-token", r => "shpca_" + R(r, Hex, 32)),
        new("shopify-private-app-token", r => "shppa_" + R(r, Hex, 32)),
        new("shopify-shared-secret", r => "shpss_" + R(r, Hex, 32)),
        new("postman-api-key", r => "PMAK-" + R(r, Hex, 24) + "-" + R(r, Hex, 34)),
        new("stripe-secret-key", r => Pick(r, "sk_live_", "sk_test_", "rk_live_") + "51" + R(r, Alnum, r.Next(2) == 0 ? 22 : 97)),
        new("stripe-webhook-secret", r => "whsec_" + R(r, Alnum, 32)),
        new("square-access-token", r => "EAAA" + R(r, UrlSafe, 60)),
        new("square-oauth-secret", r => "sq0csp-" + R(r, UrlSafe, 43)),
        new("square-legacy-access-token", r => "sq0atp-" + R(r, UrlSafe, 22)),
        new("braintree-access-token", r => "access_token$production$" + R(r, Lower + Digit, 16) + "$" + R(r, Hex, 32)),
        new("paypal-client-secret", r => "E" + R(r, UrlSafe, 79), "PAYPAL_CLIENT_SECRET={secret}"),
        new("twilio-api-key", r => "SK" + R(r, Hex, 32)),
        new("twilio-auth-token", r => R(r, Hex, 32), "TWILIO_AUTH_TOKEN={secret}"),
        new("sendgrid-api-key", r => "SG." + R(r, UrlSafe, 22) + "." + R(r, UrlSafe, 43)),
        new("mailgun-api-key", r => "key-" + R(r, Hex, 32)),
        new("mailchimp-api-key", r => R(r, Hex, 32) + "-us" + r.Next(1, 21).ToString(CultureInfo.InvariantCulture)),
        new("brevo-api-key", r => "xkeysib-" + R(r, Hex, 64) + "-" + R(r, Alnum, 16)),
        new("openai-api-key", r => Pick(r, "sk-", "sk-proj-") + R(r, UrlSafe, 20) + "T3BlbkFJ" + R(r, UrlSafe, 20)),
        new("openai-project-key", r => Pick(r, "sk-proj-", "sk-svcacct-") + R(r, UrlSafe, 156)),
        new("anthropic-api-key", r => "sk-ant-api03-" + R(r, UrlSafe, 93) + "AA"),
        new("groq-api-key", r => "gsk_" + R(r, Alnum, 52)),
        new("huggingface-token", r => "hf_" + R(r, Upper + Lower, 34)),
        new("huggingface-org-token", r => "api_org_" + R(r, Upper + Lower, 34)),
        new("cohere-api-key", r => R(r, Alnum, 40), "COHERE_API_KEY={secret}"),
        new("replicate-api-token", r => "r8_" + R(r, Alnum, 37)),
        new("perplexity-api-key", r => "pplx-" + R(r, Alnum, 48)),
        new("xai-api-key", r => "xai-" + R(r, Alnum, 80)),
        new("npm-access-token", r => "npm_" + R(r, Alnum, 36)),
        new("pypi-upload-token", r => "pypi-AgEIcHlwaS5vcmc" + R(r, UrlSafe, 140)),
        new("nuget-api-key", r => "oy2" + R(r, Lower + Digit, 43)),
        new("docker-hub-pat", r => "dckr_pat_" + R(r, UrlSafe, 27)),
        new("pulumi-access-token", r => "pul-" + R(r, Hex, 40)),
        new("datadog-api-key", r => R(r, Hex, 32), "DD_API_KEY={secret}"),
        new("new-relic-user-key", r => "NRAK-" + R(r, Upper + Digit, 27)),
        new("new-relic-browser-key", r => "NRJS-" + R(r, Hex, 19)),
        new("new-relic-insert-key", r => "NRII-" + R(r, UrlSafe, 32)),
        new("sentry-org-token", SentryOrgToken),
        new("sentry-user-token", r => "sntryu_" + R(r, Hex, 64)),
        new("grafana-cloud-token", r => "glc_" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"o\":\"{r.Next(100000, 999999)}\",\"n\":\"stack-{r.Next(1000)}-deploy\",\"k\":\"{R(r, Alnum, 24)}\",\"m\":{{\"r\":\"prod-eu-west-0\"}}}}"))),
        new("grafana-service-account-token", r => "glsa_" + R(r, Alnum, 32) + "_" + R(r, Hex, 8)),
        new("okta-api-token", r => "00" + R(r, UrlSafe, 40), "OKTA_API_TOKEN={secret}"),
        new("vault-service-token", r => "hvs.CAESI" + R(r, UrlSafe, 86)),
        new("vault-batch-token", r => "hvb.AAAAAQ" + R(r, UrlSafe, 150)),
        new("terraform-cloud-token", r => R(r, Alnum, 14) + ".atlasv1." + R(r, Alnum, 67)),
        new("doppler-token", r => Pick(r, "dp.pt.", "dp.st.", "dp.sa.", "dp.ct.") + R(r, Alnum, 43)),
        new("age-secret-key", r => "AGE-SECRET-KEY-1" + R(r, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
        new("jwt", Jwt),
        new("private-key-rsa", r => Pem(r, "RSA PRIVATE KEY", "MIIEowIBAAKCAQEA")),
        new("private-key-ec", r => Pem(r, "EC PRIVATE KEY", "MHcCAQEEI")),
        new("private-key-dsa", r => Pem(r, "DSA PRIVATE KEY", "MIIBuwIBAAKBgQ")),
        new("private-key-openssh", r => Pem(r, "OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")),
        new("private-key-pkcs8", r => Pem(r, "PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")),
        new("private-key-encrypted", r => Pem(r, "ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq")),
        new("private-key-pgp", r => Pem(r, "PGP PRIVATE KEY BLOCK", "\nlQOYBGS")),
        new("postgres-url", Password, "DATABASE_URL=postgres://app_user:{secret}@db.internal:5432/orders"),
        new("mysql-url", Password, "mysql://root:{secret}@10.0.3.12:3306/shop"),
        new("mongodb-url", Password, "MONGO_URI=mongodb+srv://svc-api:{secret}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"),
        new("redis-url", Password, "REDIS_URL=rediss://default:{secret}@cache.internal:6380/0"),
        new("amqp-url", Password, "amqp://orders:{secret}@rabbitmq.internal:5672/%2F"),
        new("mssql-url", Password, "sqlserver://sa:{secret}@sql01.corp.local:1433/Billing"),
    ];

    private static string R(Random random, string alphabet, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string Guid(Random random)
    {
        var hex = R(random, Hex, 32);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    // ghp_ + 30 random base62 characters + 6-character base62 CRC32 of those 30.
    private static string GitHub(Random random, string prefix)
    {
        var body = R(random, Alnum, 30);
        return prefix + body + Checksums.GitHubChecksum(body);
    }

    // A random password as people and generators make them: letters, digits, some symbols, 12–24 characters.
    private static string Password(Random random) => R(random, Alnum, random.Next(10, 20)) + R(random, "!*-_.~", 1) + R(random, Digit, 2);

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Jwt(Random random)
    {
        var header = Base64Url("{\"alg\":\"" + Pick(random, "HS256", "RS256", "ES256") + "\",\"typ\":\"JWT\"}");
        var payload = Base64Url($"{{\"sub\":\"{random.Next(100000, 999999)}\",\"name\":\"user{random.Next(1000)}\",\"iat\":{random.Next(1600000000, 1800000000)},\"scope\":\"read write\"}}");
        return header + "." + payload + "." + R(random, UrlSafe, 43);
    }

    private static string SentryOrgToken(Random random)
    {
        var claims = Base64Url($"{{\"iat\":{random.Next(1600000000, 1800000000)}.0,\"url\":\"https://sentry.io\",\"region_url\":\"https://us.sentry.io\",\"org\":\"acme-{random.Next(100)}\"}}");
        return "sntrys_" + claims + "_" + R(random, Base64, 43);
    }

    private static string Pem(Random random, string label, string start)
    {
        var body = new StringBuilder(start);
        body.Append(R(random, Base64, 64 - (start.Length % 64)));
        for (var line = 0; line < random.Next(3, 8); line++)
        {
            body.Append('\n').Append(R(random, Base64, 64));
        }

        return $"-----BEGIN {label}-----\n{body}\n{R(random, Base64, random.Next(8, 60))}=\n-----END {label}-----";
    }
}
