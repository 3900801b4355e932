using Gatehouse.Inspection.Secrets;
using Xunit;

namespace Gatehouse.Inspection.Tests.Secrets;

/// <summary>One test per fix made while measuring recall on eval/secrets-generated.jsonl and false positives on the dev corpus.</summary>
public class SecretsCorpusFixesTests
{
    private static readonly SecretsDetector Detector = new();

    private static List<Detection> Find(string text)
    {
        var results = new List<Detection>();
        Detector.Detect(text, results);
        return results;
    }

    private static string Random62(int length, int seed)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var random = new Random(seed);
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    [Theory]
    [InlineData("sk-svcacct-")]
    [InlineData("sk-admin-")]
    [InlineData("sk-proj-")]
    public void Openai_service_account_and_admin_keys_are_found(string prefix)
    {
        var key = prefix + Random62(120, 1);
        Assert.Contains(Find($"OPENAI_API_KEY={key}\n"), d => d.RuleId == "openai-project-key");
    }

    [Fact]
    public void Square_token_ending_in_a_dash_is_found_but_not_inside_a_base64_blob()
    {
        var token = "EAAA" + Random62(59, 2) + "-";
        var found = Assert.Single(Find($"const token = '{token}';"), d => d.RuleId == "square-access-token");
        Assert.Equal(64, found.Length);
        Assert.DoesNotContain(Find("AGFzbQEAAAAB/EAAA" + Random62(120, 3) + "/"), d => d.RuleId == "square-access-token");
    }

    [Fact]
    public void Discord_bot_token_is_not_taken_for_a_member_access_chain()
    {
        const string token = "M4iXJnfb9IXa4eqYRbDvIornFi.P5GF4f.X8tFVVugtzIR2_lnPEmV_AqLN6SmZnV6P4E9xm";
        Assert.Contains(Find($"DISCORD_BOT_TOKEN={token}"), d => d.RuleId == "discord-bot-token");
        Assert.Empty(Find("secret = config.Value.ApiSecret;")); // the generic detector still skips code
    }

    [Theory]
    [InlineData("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("STRIPE_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX")]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    public void Filler_and_documented_example_keys_are_not_secrets(string text) => Assert.Empty(Find(text));

    [Fact]
    public void Pem_header_without_key_material_is_not_a_private_key()
    {
        Assert.Empty(Find("key=\"-----BEGIN PRIVATE KEY-----\\nXXXX\\nXXXX\\n-----END PRIVATE KEY-----\""));
        Assert.Empty(Find("if (line.StartsWith(\"-----BEGIN RSA PRIVATE KEY-----\")) {"));
        var key = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + Random62(64, 4) + "\\n-----END PRIVATE KEY-----";
        Assert.Contains(Find($"key=\"{key}\""), d => d.RuleId == "private-key-pkcs8");
    }

    [Theory]
    [InlineData("exports.SOCKS5_CUSTOM_AUTH_END = SOCKS5_CUSTOM_AUTH_END;")]
    [InlineData("const API_TOKEN_HEADER = API_TOKEN_HEADER_V2_NAME;")]
    public void Generic_value_that_repeats_its_keyword_is_a_name(string text) => Assert.Empty(Find(text));

    [Fact]
    public void Generic_detector_still_finds_a_random_value_after_the_same_keyword() =>
        Assert.Contains(Find("AUTH_TOKEN = \"q8Zr2Lx9Pk4Tw7Ny1Bv6Mc3Hd5Jf0Gs\""), d => d.RuleId == SecretsDetector.GenericRuleId);
}
