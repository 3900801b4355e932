using FsCheck.Xunit;
using Gatehouse.Inspection.Redaction;
using Xunit;

namespace Gatehouse.Inspection.Tests.Redaction;

public class RedactorTests
{
    private const string GitHubToken = "ghp_Abcdefghijklmnopqrstuvwxyz0123456789";

    [Fact]
    public void Replaces_findings_with_typed_placeholders_numbered_per_value()
    {
        var session = new RedactionSession();
        var text = $"Mail a@example.com or b@example.com, again a@example.com; token {GitHubToken}.";
        var redacted = Redactor.Default.Redact(text, session);
        Assert.Equal("Mail [EMAIL_1] or [EMAIL_2], again [EMAIL_1]; token [GITHUB_TOKEN_1].", redacted);
        Assert.Equal("Later [EMAIL_2].", Redactor.Default.Redact("Later b@example.com.", session));
    }

    [Fact]
    public void Text_without_findings_is_returned_as_is()
    {
        const string text = "nothing to see here";
        Assert.Same(text, Redactor.Default.Redact(text, new RedactionSession()));
    }

    [Fact]
    public void A_secret_split_across_chunks_is_still_redacted()
    {
        var redactor = new StreamingRedactor(Redactor.Default, new RedactionSession(), window: 64);
        var output = redactor.Push("here is the token gh") + redactor.Push("p_Abcdefghijklmnop") + redactor.Push("qrstuvwxyz0123456789 and more text")
            + redactor.Push(new string('.', 100)) + redactor.Flush();
        Assert.StartsWith("here is the token [GITHUB_TOKEN_1] and more text", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_back_at_most_the_window()
    {
        var redactor = new StreamingRedactor(Redactor.Default, new RedactionSession(), window: 64);
        var emitted = redactor.Push(new string('x', 1000));
        Assert.Equal(1000 - 64, emitted.Length);
        Assert.Equal(64, redactor.Pending);
        Assert.Equal(64, redactor.Flush().Length);
    }

    private static readonly string[] Tokens =
    [
        "hello", "world", "the", "order", "#1234", "v1.2.3", "a@example.com", "bob.smith@mail.example.org", "+1 415 555 2671",
        "4111 1111 1111 1111", "DE89370400440532013000", "123-45-6789", "10.0.0.1", GitHubToken, "sk_live_AbCdEfGhIjKlMnOpQrStUvWx",
        "postgres://app:s3cretPw@db:5432/x", "2001:db8::8a2e:370:7334", "\n", "é", "😀", "   ",
    ];

    [Property(MaxTest = 150)]
    public bool Streaming_output_equals_whole_text_redaction_for_any_chunking(int seed)
    {
        var random = new Random(seed);
        var parts = new List<string>();
        for (var i = random.Next(1, 60); i > 0; i--)
        {
            parts.Add(Tokens[random.Next(Tokens.Length)]);
        }

        var text = string.Join(' ', parts);
        var expected = Redactor.Default.Redact(text, new RedactionSession());
        var streaming = new StreamingRedactor(Redactor.Default, new RedactionSession(), window: 64 + random.Next(0, 192));
        var output = new System.Text.StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var size = Math.Min(text.Length - position, random.Next(0, 3) == 0 ? random.Next(1, 4) : random.Next(1, 80));
            output.Append(streaming.Push(text.AsSpan(position, size)));
            position += size;
        }

        output.Append(streaming.Flush());
        return output.ToString() == expected;
    }

    [Fact]
    public void Window_must_be_reasonable()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingRedactor(Redactor.Default, new RedactionSession(), window: 8));
    }
}
