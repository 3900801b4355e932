namespace Gatehouse.Inspection.Secrets;

/// <summary>
/// The built-in credential rules, written from each provider's documented token format (prefix, alphabet, length).
/// Rules keyed on a unique prefix get high confidence; rules that need a context word (a provider name next to
/// an assignment) get less.
/// </summary>
public static class SecretRuleCatalog
{
    private const string Assign = @"[\w.-]{0,30}[""']?\s{0,3}(?:=|:|:=|=>)\s{0,3}[""']?";
    private const string Pem = @"[A-Za-z0-9+/=\s:,._\\-]*?";

    /// <summary>All built-in rules, in evaluation order.</summary>
    public static IReadOnlyList<SecretRule> All { get; } = Build();

    private static SecretRule Prefix(string id, string type, string keyword, string pattern, double confidence = 0.99, int lookBehind = 0) =>
        new(id, type, [keyword], pattern, confidence, lookBehind: lookBehind);

    private static SecretRule Context(string id, string type, string[] keywords, string pattern, double confidence = 0.8, int lookBehind = 0) =>
        new(id, type, keywords, pattern, confidence, ignoreCase: true, lookBehind);

    // A key block has no length limit: the window runs to the end of the text.
    private static SecretRule PrivateKey(string id, string label) =>
        new(id, "private_key", ["PRIVATE KEY"], @"-----BEGIN " + label + @"-----(?:" + Pem + @"-----END " + label + @"-----)?", 0.99, lookBehind: 32, reach: int.MaxValue / 2)
        {
            Validator = SecretValues.HasKeyMaterial,
        };

    private static SecretRule DatabaseUrl(string id, string[] schemes) =>
        new(id, "database_url", [.. schemes.Select(s => s + "://")],
            @"\b(?:" + string.Join('|', schemes).Replace("+", @"\+", StringComparison.Ordinal) + @")://[^:/\s@""']{0,64}:(?<secret>[^@\s/""']{3,128})@[^\s/""'@]{1,255}", 0.95, ignoreCase: true);

    private static SecretRule[] Build() =>
    [
        // Cloud providers
        new("aws-access-key-id", "aws_access_key_id", ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], @"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b", 0.95),
        Context("aws-secret-access-key", "aws_secret_access_key", ["aws"], @"aws[\w.-]{0,20}(?:secret|sk)" + Assign + @"(?<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)", 0.9),
        Prefix("aws-mws-auth-token", "aws_mws_token", "amzn.mws.", @"amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        Prefix("google-api-key", "google_api_key", "AIza", @"(?<secret>\bAIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)", 0.95),
        Context("gcp-service-account-key", "gcp_service_account_key", ["private_key_id"], @"""private_key_id""\s*:\s*""(?<secret>[0-9a-f]{40})""", 0.95, lookBehind: 1),
        Prefix("google-oauth-client-secret", "google_oauth_client_secret", "GOCSPX-", @"\bGOCSPX-[A-Za-z0-9_-]{28}"),
        Prefix("google-oauth-access-token", "google_oauth_token", "ya29.", @"\bya29\.[0-9A-Za-z_-]{30,}", 0.9),
        Context("azure-storage-connection-string", "azure_storage_key", ["AccountKey="], @"AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)", 0.99),
        Context("azure-service-bus-connection-string", "azure_sas_key", ["SharedAccessKey="], @"SharedAccessKey=(?<secret>[A-Za-z0-9+/]{42,44}=?)", 0.95),
        Context("azure-sas-token", "azure_sas_token", ["sig="], @"[?&]sv=\d{4}-\d{2}-\d{2}&[^\s""']{0,400}sig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})", 0.9, lookBehind: 420),
        Prefix("azure-ad-client-secret", "azure_ad_client_secret", "Q~", @"(?:^|[^A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)", 0.9, lookBehind: 5),
        Context("azure-openai-key", "azure_openai_key", ["azure"], @"azure[\w.-]{0,30}key" + Assign + @"(?<secret>[a-f0-9]{32})\b", 0.8),
        Prefix("digitalocean-pat", "digitalocean_token", "dop_v1_", @"\bdop_v1_[a-f0-9]{64}\b"),
        Prefix("digitalocean-oauth-token", "digitalocean_token", "doo_v1_", @"\bdoo_v1_[a-f0-9]{64}\b"),
        Prefix("digitalocean-refresh-token", "digitalocean_token", "dor_v1_", @"\bdor_v1_[a-f0-9]{64}\b"),
        Context("heroku-api-key", "heroku_api_key", ["heroku"], @"heroku[\w.-]{0,30}" + Assign + @"(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b", 0.85),
        Prefix("heroku-api-key-v2", "heroku_api_key", "HRKU-", @"\bHRKU-[A-Za-z0-9_-]{60}"),
        Prefix("cloudflare-origin-ca-key", "cloudflare_key", "v1.0-", @"\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b", 0.95),
        Prefix("flyio-token", "flyio_token", "fo1_", @"\bfo1_[A-Za-z0-9_-]{43}"),
        Prefix("supabase-token", "supabase_token", "sbp_", @"\bsbp_[a-f0-9]{40}\b"),
        Prefix("planetscale-token", "planetscale_token", "pscale_", @"\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}"),
        Prefix("databricks-token", "databricks_token", "dapi", @"\bdapi[a-f0-9]{32}(?:-\d)?\b", 0.9),

        // Version control
        Prefix("github-pat", "github_token", "ghp_", @"\bghp_[A-Za-z0-9]{36}\b"),
        Prefix("github-fine-grained-pat", "github_token", "github_pat_", @"\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b"),
        Prefix("github-oauth-token", "github_token", "gho_", @"\bgho_[A-Za-z0-9]{36}\b"),
        Prefix("github-user-to-server-token", "github_token", "ghu_", @"\bghu_[A-Za-z0-9]{36}\b"),
        Prefix("github-server-to-server-token", "github_token", "ghs_", @"\bghs_[A-Za-z0-9]{36}\b"),
        Prefix("github-refresh-token", "github_token", "ghr_", @"\bghr_[A-Za-z0-9]{36,76}\b"),
        Prefix("gitlab-pat", "gitlab_token", "glpat-", @"\bglpat-[A-Za-z0-9_.-]{20,100}"),
        Prefix("gitlab-pipeline-trigger-token", "gitlab_token", "glptt-", @"\bglptt-[0-9a-f]{40}\b"),
        Prefix("gitlab-runner-token", "gitlab_token", "glrt-", @"\bglrt-[A-Za-z0-9_.-]{20,100}"),
        Prefix("gitlab-deploy-token", "gitlab_token", "gldt-", @"\bgldt-[A-Za-z0-9_-]{20,100}"),
        Prefix("gitlab-oauth-app-secret", "gitlab_token", "gloas-", @"\bgloas-[a-f0-9]{64}\b"),
        Prefix("bitbucket-app-password", "bitbucket_token", "ATBB", @"\bATBB[A-Za-z0-9_=.-]{28,64}"),
        Prefix("atlassian-api-token", "atlassian_token", "ATATT3", @"\bATATT3[A-Za-z0-9_=-]{180,200}"),
        Prefix("atlassian-access-token", "atlassian_token", "ATCTT3", @"\bATCTT3[A-Za-z0-9_=-]{180,200}"),

        // Chat and collaboration
        Prefix("slack-bot-token", "slack_token", "xoxb-", @"\bxoxb-[0-9]{10,13}-[0-9]{10,13}-?[A-Za-z0-9-]{24,34}"),
        Prefix("slack-user-token", "slack_token", "xox", @"\bxox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9-]{28,34}"),
        Prefix("slack-app-token", "slack_token", "xapp-", @"\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+\b"),
        Prefix("slack-config-token", "slack_token", "xoxe", @"\bxoxe(?:\.xox[bp])?-\d-[A-Z0-9]{146,170}\b"),
        Prefix("slack-webhook-url", "slack_webhook", "hooks.slack.com", @"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{20,120}(?:/[A-Za-z0-9]{10,60})*", 0.95, lookBehind: 8),
        Context("discord-webhook-url", "discord_webhook", ["discord"], @"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[\w-]{60,70}", 0.95, lookBehind: 15),
        Context("discord-bot-token", "discord_token", ["discord"], @"discord[\w.-]{0,30}" + Assign + @"(?<secret>[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,38})", 0.9),
        Prefix("telegram-bot-token", "telegram_token", ":AA", @"(?<secret>\b\d{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$)", 0.95, lookBehind: 10),
        Prefix("linear-api-key", "linear_token", "lin_api_", @"\blin_api_[A-Za-z0-9]{40}\b"),
        Prefix("notion-integration-token", "notion_token", "secret_", @"\bsecret_[A-Za-z0-9]{43}\b", 0.85),
        Prefix("notion-token-v2", "notion_token", "ntn_", @"\bntn_\d{11}[A-Za-z0-9]{35}\b"),
        Prefix("airtable-pat", "airtable_token", "pat", @"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b"),
        Prefix("figma-pat", "figma_token", "figd_", @"\bfigd_[A-Za-z0-9_-]{40}"),
        Prefix("typeform-pat", "typeform_token", "tfp_", @"\btfp_[A-Za-z0-9_.=-]{59}"),
        Prefix("shopify-access-token", "shopify_token", "shpat_", @"\bshpat_[a-fA-F0-9]{32}\b"),
        Prefix("shopify-custom-app-token", "shopify_token", "shpca_", @"\bshpca_[a-fA-F0-9]{32}\b"),
        Prefix("shopify-private-app-token", "shopify_token", "shppa_", @"\bshppa_[a-fA-F0-9]{32}\b"),
        Prefix("shopify-shared-secret", "shopify_token", "shpss_", @"\bshpss_[a-fA-F0-9]{32}\b"),
        Prefix("postman-api-key", "postman_token", "PMAK-", @"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b"),

        // Payments
        new("stripe-secret-key", "stripe_key", ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], @"\b[sr]k_(?:live|test)_[A-Za-z0-9]{24,99}\b", 0.99),
        Prefix("stripe-webhook-secret", "stripe_key", "whsec_", @"\bwhsec_[A-Za-z0-9+/]{32,64}"),
        Prefix("square-access-token", "square_token", "EAAA", @"(?<secret>\bEAAA[A-Za-z0-9_-]{60})(?:[^A-Za-z0-9_-]|$)", 0.9),
        Prefix("square-oauth-secret", "square_token", "sq0csp-", @"\bsq0csp-[A-Za-z0-9_-]{43}"),
        Prefix("square-legacy-access-token", "square_token", "sq0atp-", @"\bsq0atp-[A-Za-z0-9_-]{22}"),
        Prefix("braintree-access-token", "braintree_token", "access_token$", @"access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}"),
        Context("paypal-client-secret", "paypal_secret", ["paypal"], @"paypal[\w.-]{0,30}secret" + Assign + @"(?<secret>[A-Za-z0-9_-]{60,90})", 0.85),

        // Messaging and email
        Prefix("twilio-api-key", "twilio_key", "SK", @"\bSK[0-9a-f]{32}\b", 0.85),
        Context("twilio-auth-token", "twilio_key", ["twilio"], @"twilio[\w.-]{0,30}(?:token|secret)" + Assign + @"(?<secret>[a-f0-9]{32})\b", 0.85),
        Prefix("sendgrid-api-key", "sendgrid_key", "SG.", @"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        Prefix("mailgun-api-key", "mailgun_key", "key-", @"\bkey-[0-9a-f]{32}\b", 0.85),
        Prefix("mailchimp-api-key", "mailchimp_key", "-us", @"\b[0-9a-f]{32}-us\d{1,2}\b", 0.9, lookBehind: 32),
        Prefix("brevo-api-key", "brevo_key", "xkeysib-", @"\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b"),

        // AI providers
        Prefix("openai-api-key", "openai_key", "T3BlbkFJ", @"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}", lookBehind: 211),
        new("openai-project-key", "openai_key", ["sk-proj-", "sk-svcacct-", "sk-admin-"], @"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}", 0.95),
        Prefix("anthropic-api-key", "anthropic_key", "sk-ant-", @"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,110}"),
        Prefix("groq-api-key", "groq_key", "gsk_", @"\bgsk_[A-Za-z0-9]{52}\b"),
        Prefix("huggingface-token", "huggingface_token", "hf_", @"\bhf_[A-Za-z]{34}\b"),
        Prefix("huggingface-org-token", "huggingface_token", "api_org_", @"\bapi_org_[A-Za-z]{34}\b"),
        Context("cohere-api-key", "cohere_key", ["cohere", "co_api_key"], @"(?:cohere|co_api)[\w.-]{0,30}" + Assign + @"(?<secret>[A-Za-z0-9]{40})\b", 0.85),
        Prefix("replicate-api-token", "replicate_token", "r8_", @"\br8_[A-Za-z0-9]{37}\b"),
        Prefix("perplexity-api-key", "perplexity_key", "pplx-", @"\bpplx-[A-Za-z0-9]{48}\b"),
        Prefix("xai-api-key", "xai_key", "xai-", @"\bxai-[A-Za-z0-9]{80}\b"),

        // Package registries and containers
        Prefix("npm-access-token", "npm_token", "npm_", @"\bnpm_[A-Za-z0-9]{36}\b"),
        Prefix("pypi-upload-token", "pypi_token", "pypi-AgEIcHlwaS5vcmc", @"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,250}"),
        Prefix("nuget-api-key", "nuget_key", "oy2", @"\boy2[a-z0-9]{43}\b", 0.9),
        Prefix("docker-hub-pat", "docker_token", "dckr_", @"\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{27,36}"),
        Prefix("pulumi-access-token", "pulumi_token", "pul-", @"\bpul-[a-f0-9]{40}\b"),

        // Observability, identity, secrets managers
        Context("datadog-api-key", "datadog_key", ["datadog", "dd_api", "dd_app", "dd-api", "dd-app"], @"(?:datadog|dd)[\w.-]{0,20}(?:api|app)[_-]?key" + Assign + @"(?<secret>[a-f0-9]{32}|[a-f0-9]{40})\b", 0.85),
        Prefix("new-relic-user-key", "newrelic_key", "NRAK-", @"\bNRAK-[A-Z0-9]{27}\b"),
        Prefix("new-relic-browser-key", "newrelic_key", "NRJS-", @"\bNRJS-[a-f0-9]{19}\b"),
        Prefix("new-relic-insert-key", "newrelic_key", "NRII-", @"\bNRII-[A-Za-z0-9_-]{32}"),
        Prefix("sentry-org-token", "sentry_token", "sntrys_", @"\bsntrys_eyJ[A-Za-z0-9+/=_-]{60,400}"),
        Prefix("sentry-user-token", "sentry_token", "sntryu_", @"\bsntryu_[a-f0-9]{64}\b"),
        Prefix("grafana-cloud-token", "grafana_token", "glc_", @"\bglc_[A-Za-z0-9+/]{32,400}={0,2}"),
        Prefix("grafana-service-account-token", "grafana_token", "glsa_", @"\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b"),
        Context("okta-api-token", "okta_token", ["okta"], @"okta[\w.-]{0,30}" + Assign + @"(?<secret>00[A-Za-z0-9_-]{40})\b", 0.85),
        Prefix("vault-service-token", "vault_token", "hvs.", @"\bhvs\.[A-Za-z0-9_-]{90,120}"),
        Prefix("vault-batch-token", "vault_token", "hvb.", @"\bhvb\.[A-Za-z0-9_-]{138,300}"),
        Prefix("terraform-cloud-token", "terraform_token", ".atlasv1.", @"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}", lookBehind: 14),
        Prefix("doppler-token", "doppler_token", "dp.", @"\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b"),
        Prefix("age-secret-key", "age_key", "AGE-SECRET-KEY-1", @"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b"),
        Prefix("jwt", "jwt", "eyJ", @"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", 0.85),

        // Private keys
        PrivateKey("private-key-rsa", "RSA PRIVATE KEY"),
        PrivateKey("private-key-ec", "EC PRIVATE KEY"),
        PrivateKey("private-key-dsa", "DSA PRIVATE KEY"),
        PrivateKey("private-key-openssh", "OPENSSH PRIVATE KEY"),
        PrivateKey("private-key-pkcs8", "PRIVATE KEY"),
        PrivateKey("private-key-encrypted", "ENCRYPTED PRIVATE KEY"),
        PrivateKey("private-key-pgp", "PGP PRIVATE KEY BLOCK"),

        // Database and broker URLs with passwords
        DatabaseUrl("postgres-url", ["postgres", "postgresql"]),
        DatabaseUrl("mysql-url", ["mysql", "mariadb"]),
        DatabaseUrl("mongodb-url", ["mongodb", "mongodb+srv"]),
        DatabaseUrl("redis-url", ["redis", "rediss"]),
        DatabaseUrl("amqp-url", ["amqp", "amqps"]),
        DatabaseUrl("mssql-url", ["mssql", "sqlserver"]),
    ];
}
