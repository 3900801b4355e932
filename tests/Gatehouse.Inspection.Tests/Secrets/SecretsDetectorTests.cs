using Gatehouse.Inspection.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Secrets;

public class SecretsDetectorTests
{
    private static readonly SecretsDetector Detector = new();

    private static List<Detection> Find(string text)
    {
        var results = new List<Detection>();
        Detector.Detect(text, results);
        return results;
    }

    private static string Repeat(string alphabet, int length, int seed = 1)
    {
        var random = new Random(seed);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Hex = "0123456789abcdef";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";

    public static TheoryData<string, string> Samples() => new()
    {
        { "aws-access-key-id", "AKIA" + Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) },
        { "google-api-key", "AIza" + Repeat(Alnum + "_-", 35) },
        { "google-oauth-client-secret", "GOCSPX-" + Repeat(Alnum, 28) },
        { "github-pat", "ghp_" + Repeat(Alnum, 36) },
        { "github-fine-grained-pat", "github_pat_" + Repeat(Alnum, 22) + "_" + Repeat(Alnum, 59) },
        { "github-oauth-token", "gho_" + Repeat(Alnum, 36) },
        { "gitlab-pat", "glpat-" + Repeat(Alnum, 20) },
        { "slack-bot-token", "xoxb-1234567890-1234567890123-" + Repeat(Alnum, 24) },
        { "slack-webhook-url", "https://hooks.slack.com/services/T00000000/B00000000/" + Repeat(Alnum, 24) },
        { "discord-webhook-url", "https://discord.com/api/webhooks/123456789012345678/" + Repeat(Alnum + "-_", 68) },
        { "telegram-bot-token", "123456789:AA" + Repeat(Alnum, 33) },
        { "stripe-secret-key", "sk_live_" + Repeat(Alnum, 24) },
        { "square-oauth-secret", "sq0csp-" + Repeat(Alnum, 43) },
        { "sendgrid-api-key", "SG." + Repeat(Alnum, 22) + "." + Repeat(Alnum, 43) },
        { "mailchimp-api-key", Repeat(Hex, 32) + "-us12" },
        { "openai-api-key", "sk-proj-" + Repeat(Alnum, 20) + "T3BlbkFJ" + Repeat(Alnum, 20) },
        { "anthropic-api-key", "sk-ant-api03-" + Repeat(Alnum + "-_", 95) },
        { "groq-api-key", "gsk_" + Repeat(Alnum, 52) },
        { "huggingface-token", "hf_" + Repeat("abcdefghijklmnopqrstuvwxyzABCDEF", 34) },
        { "replicate-api-token", "r8_" + Repeat(Alnum, 37) },
        { "npm-access-token", "npm_" + Repeat(Alnum, 36) },
        { "pypi-upload-token", "pypi-AgEIcHlwaS5vcmc" + Repeat(Alnum, 60) },
        { "nuget-api-key", "oy2" + Repeat(Lower + "0123456789", 43) },
        { "docker-hub-pat", "dckr_pat_" + Repeat(Alnum, 27) },
        { "digitalocean-pat", "dop_v1_" + Repeat(Hex, 64) },
        { "shopify-access-token", "shpat_" + Repeat(Hex, 32) },
        { "new-relic-user-key", "NRAK-" + Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 27) },
        { "vault-service-token", "hvs." + Repeat(Alnum, 95) },
        { "doppler-token", "dp.st." + Repeat(Alnum, 43) },
        { "linear-api-key", "lin_api_" + Repeat(Alnum, 40) },
        { "age-secret-key", "AGE-SECRET-KEY-1" + Repeat("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58) },
        { "jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
        { "private-key-rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + Repeat(Alnum + "+/", 64) + "\n-----END RSA PRIVATE KEY-----" },
        { "private-key-openssh", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE" + Repeat(Alnum, 70) + "\n-----END OPENSSH PRIVATE KEY-----" },
        { "private-key-pgp", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF" + Repeat(Alnum, 64) + "\n-----END PGP PRIVATE KEY BLOCK-----" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_rule_finds_its_sample(string ruleId, string token)
    {
        var text = $"config:\n  value = \"{token}\"\n";
        var found = Find(text);
        var detection = Assert.Single(found, d => d.RuleId == ruleId);
        Assert.Equal(token, text.Substring(detection.Start, detection.Length));
    }

    [Theory]
    [InlineData("aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8Z2R4KEY\"", "aws-secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8Z2R4KEY")]
    [InlineData("DATABASE_URL=postgres://app:s3cr3t-P4ss@db.internal:5432/app", "postgres-url", "s3cr3t-P4ss")]
    [InlineData("mongodb+srv://root:hunter22@cluster0.mongodb.net/test", "mongodb-url", "hunter22")]
    [InlineData("redis://:Zk39dkQ0@cache:6379/0", "redis-url", "Zk39dkQ0")]
    [InlineData("amqp://guest:GuEsT9x@rabbit:5672/", "amqp-url", "GuEsT9x")]
    [InlineData("mysql://u:pa55w0rd!@localhost/db", "mysql-url", "pa55w0rd!")]
    public void Context_rules_report_only_the_secret(string text, string ruleId, string secret)
    {
        var detection = Assert.Single(Find(text), d => d.RuleId == ruleId);
        Assert.Equal(secret, text.Substring(detection.Start, detection.Length));
    }

    [Theory]
    [InlineData("postgres://user:${DB_PASSWORD}@localhost/app")]
    [InlineData("postgres://user:password@localhost/app")]
    [InlineData("postgres://localhost:5432/app")]
    [InlineData("aws_secret_access_key = <your secret key here>")]
    public void Placeholders_are_not_secrets(string text) => Assert.Empty(Find(text));

    [Theory]
    [InlineData("api_key = \"Xk29fLq0vR8sT3uW7yZ1aB4cD6eG\"")]
    [InlineData("client_secret: 8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c8e")]
    [InlineData("password=Tr0ub4dor&3x")]
    [InlineData("\"token\": \"q8Zr2Lx9Pk4Tw7Ny1Bv6Mc3Hd5Jf0Gs\"")]
    public void Generic_detector_finds_high_entropy_values_in_context(string text) =>
        Assert.Contains(Find(text), d => d.RuleId == SecretsDetector.GenericRuleId);

    [Theory]
    [InlineData("password = \"\"")]
    [InlineData("token: required")]
    [InlineData("api_key = os.environ['API_KEY']")]
    [InlineData("secret: aaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("the password is not stored anywhere")]
    [InlineData("auth: authentication_middleware_enabled")]
    [InlineData("key: value")]
    public void Generic_detector_ignores_low_entropy_and_placeholders(string text) => Assert.Empty(Find(text));

    [Fact]
    public void Catalog_has_at_least_sixty_rules_with_unique_ids_and_keywords()
    {
        var rules = SecretRuleCatalog.All;
        Assert.True(rules.Count >= 60, $"{rules.Count} rules");
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct().Count());
        Assert.All(rules, r => Assert.NotEmpty(r.Keywords));
    }

    [Fact]
    public void No_false_positives_in_this_repository_source()
    {
        var root = RepoRoot();
        var count = 0;
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            count += text.Length;
            foreach (var d in Find(text))
            {
                found.Add($"{Path.GetFileName(file)}: {d.RuleId} {text.Substring(d.Start, Math.Min(d.Length, 60))}");
            }
        }

        Assert.True(count > 100_000);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public void Adversarial_inputs_finish()
    {
        _ = Find(string.Concat(Enumerable.Repeat("password=", 20_000)));
        _ = Find("-----BEGIN RSA PRIVATE KEY-----" + new string('A', 200_000));
        _ = Find(string.Concat(Enumerable.Repeat("eyJ", 30_000)));
        _ = Find(string.Concat(Enumerable.Repeat("postgres://a:", 10_000)));
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Gatehouse.slnx")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repo root not found");
        }

        return dir;
    }
}
