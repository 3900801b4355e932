using Gatehouse.Inspection.Evaluation;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Inspection.Eval;

/// <summary>
/// Generates the secrets evaluation set (<c>eval/secrets-generated.jsonl</c>): for every built-in rule, credentials in
/// realistic code, config and chat lines; plus look-alikes that must not be reported (placeholders, documented
/// example keys, hashes, digests, environment lookups). Deterministic for a seed.
/// </summary>
internal static class SecretSampleGenerator
{
    // {KEY} is an environment-variable style name for the credential type, {secret} the credential.
    private static readonly string[] Lines =
    [
        "{KEY}={secret}",
        "export {KEY}=\"{secret}\"",
        "  api_key: {secret}",
        "    \"token\": \"{secret}\",",
        "client = Client(api_key=\"{secret}\")",
        "const token = '{secret}';",
        "var client = new ApiClient(\"{secret}\");",
        "curl -H \"Authorization: Bearer {secret}\" https://api.example.com/v1/me",
        "Here is the key you asked for: {secret} (rotate it after the demo)",
        "docker run --rm -e {KEY}={secret} registry.example.com/app:1.4.2",
        "credentials = {{ \"{KEY}\": \"{secret}\" }}",
        "{secret}",
    ];

    private static readonly string[] Before =
    [
        "# deploy settings\n", "import os\nimport requests\n\n", "// TODO: move this into the vault\n", "services:\n  app:\n    environment:\n",
        "", "", "I'm getting a 401 from the API with this config:\n```\n", "[default]\nregion = eu-west-1\n",
    ];

    private static readonly string[] After = ["\n", "\nprint(resp.status_code)\n", "\n```\nWhat am I doing wrong?", "\nLOG_LEVEL=debug\n", "", "\n}\n"];

    /// <summary>Look-alikes in the lines they usually come in; each must not be reported.</summary>
    private static readonly (string Kind, string Line)[] Decoys =
    [
        ("placeholder", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("placeholder", "OPENAI_API_KEY=sk-...your key here..."),
        ("placeholder", "export AWS_SECRET_ACCESS_KEY=<your-secret-access-key>"),
        ("placeholder", "password: ${DB_PASSWORD}"),
        ("placeholder", "api_key = os.environ[\"API_KEY\"]"),
        ("placeholder", "token: \"{{ .Values.token }}\""),
        ("placeholder", "DATABASE_URL=postgres://user:password@localhost:5432/dev"),
        ("placeholder", "STRIPE_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("documented-example", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
        ("documented-example", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("hash", "commit 3f786850e387550fdab836ed7e6dc881de23001b"),
        ("hash", "\"integrity\": \"sha512-nKJYYVTDOEPXMmOnZHmOsuK3jpuL6ZE8cCGTUCuM0BUOBZH+4b5qtGBKnmzAW2F9dS8nW9Fo4SvXbu6JcPOqgw==\","),
        ("hash", "image: registry.example.com/api@sha256:9b2f1c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0"),
        ("hash", "checksum = \"sha256:a3f5c1e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081\""),
        ("hash", "  \"contentHash\": \"LgQtnf4kPgLNLNvM1LQvBx3E2ClsuCV6L5Lnfk9D2lYyoPvr9A7ugSXsvfaLrIsb6vPJA6ykdgcNhdiLgK6C6A==\","),
        ("uuid", "\"requestId\": \"9f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b\""),
        ("code", "token_count = tokenizer.count_tokens(prompt)"),
        ("code", "cache_key = f\"user:{user_id}:sessions:{page}\""),
        ("code", "password = getpass.getpass(\"Password: \")"),
        ("code", "private_key = load_pem_private_key(data, password=None)"),
        ("code", "var secret = configuration[\"Jwt:Secret\"];"),
        ("code", "auth_header = request.headers.get(\"Authorization\", \"\")"),
        ("code", "-----BEGIN PUBLIC KEY-----"),
        ("code", "primary_key: \"order_id\""),
        ("data-uri", "background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==);"),
    ];

    /// <summary>Generates <paramref name="perRule"/> samples for every rule of <paramref name="rules"/>, then the decoys.</summary>
    public static IEnumerable<SpanExample> Generate(int seed, int perRule, IReadOnlyList<SecretRule> rules)
    {
        var random = new Random(seed);
        var formats = SecretFormats.All.ToDictionary(f => f.Rule, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!formats.TryGetValue(rule.Id, out var format))
            {
                throw new InvalidOperationException($"no generator for secret rule '{rule.Id}'");
            }

            for (var i = 0; i < perRule; i++)
            {
                yield return Sample(random, rule, format, i);
            }
        }

        for (var i = 0; i < Decoys.Length; i++)
        {
            var (kind, line) = Decoys[i];
            var builder = new LabelledTextBuilder().Text(Before[random.Next(Before.Length)]).Decoy(line, kind).Text(After[random.Next(After.Length)]);
            yield return builder.Build("secrets", $"decoy-{i:00}");
        }
    }

    private static SpanExample Sample(Random random, SecretRule rule, SecretFormat format, int index)
    {
        var secret = format.Make(random);
        var line = format.Context ?? Lines[(index + random.Next(Lines.Length)) % Lines.Length];
        if (secret.Contains('\n', StringComparison.Ordinal) && format.Context is null)
        {
            line = index % 2 == 0 ? "{secret}" : "key.pem: |\n{secret}";
        }

        var key = rule.Type.ToUpperInvariant();
        var builder = new LabelledTextBuilder().Text(Before[random.Next(Before.Length)]);
        var at = line.IndexOf("{secret}", StringComparison.Ordinal);
        builder.Text(line[..at].Replace("{KEY}", key, StringComparison.Ordinal).Replace("{{", "{", StringComparison.Ordinal))
            .Value(secret, rule.Type, rule.Id)
            .Text(line[(at + "{secret}".Length)..].Replace("{KEY}", key, StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal))
            .Text(After[random.Next(After.Length)]);
        var source = format.Context is not null ? "context" : Array.IndexOf(Lines, line) is >= 0 and var n ? $"line-{n:00}" : "pem";
        return builder.Build("secrets", source);
    }
}
