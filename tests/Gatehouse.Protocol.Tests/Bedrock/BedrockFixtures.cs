using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Protocol.Canonical;
using Xunit;

namespace Gatehouse.Protocol.Tests.Bedrock;

/// <summary>Loads the Bedrock golden files and compares JSON exactly (property order included, whitespace ignored).</summary>
internal static class BedrockFixtures
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bedrock", name));

    /// <summary>Asserts that <paramref name="actual"/> is the fixture's JSON, token for token.</summary>
    public static void AssertJson(string fixture, ReadOnlySpan<byte> actual) =>
        Assert.Equal(Minify(Read(fixture)), Minify(actual.ToArray()));

    public static string Minify(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>One line per canonical stream event, with every field that matters.</summary>
    public static string Describe(StreamEvent streamEvent) => streamEvent switch
    {
        MessageStartEvent start => $"start {(start.Id.StartsWith("bedrock-", StringComparison.Ordinal) && start.Id.Length == 32 ? "bedrock-id" : start.Id)} '{start.Model}'",
        TextStartEvent e => $"text-start {e.Index}",
        ThinkingStartEvent e => $"thinking-start {e.Index}{(e.RedactedData is null ? string.Empty : " redacted " + e.RedactedData)}",
        ToolCallStartEvent e => $"tool-start {e.Index} {e.Id} {e.Name}",
        TextDeltaEvent e => $"text {e.Index} {e.Text}",
        ThinkingDeltaEvent e => $"thinking {e.Index} {e.Text}",
        SignatureDeltaEvent e => $"signature {e.Index} {e.Signature}",
        ToolArgumentsDeltaEvent e => $"args {e.Index} {e.JsonFragment}",
        BlockStopEvent e => $"stop {e.Index}",
        FinishEvent e => $"finish {e.Reason}{(e.StopSequence is null ? string.Empty : " " + e.StopSequence)}",
        UsageEvent e => $"usage in={e.Usage.InputTokens} out={e.Usage.OutputTokens} cached={e.Usage.CachedInputTokens} written={e.Usage.CacheWriteTokens}",
        ErrorEvent e => $"error {e.Error.Kind} {e.Error.UpstreamStatus} {e.Error.Code}: {e.Error.Message}",
        _ => streamEvent.ToString()!,
    };
}
