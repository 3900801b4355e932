using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Inspection;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// An external detector over HTTP: POSTs the content and its context as JSON, reads a verdict JSON back. Verdicts are
/// cached in memory by a SHA-256 of stage and content for <c>cache_ttl</c>. The guardrail's timeout is applied by the caller.
/// </summary>
public sealed class WebhookGuardrailDetector : IGuardrailDetector
{
    private const int MaxCacheEntries = 4096;
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly string _name;
    private readonly Uri _url;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly TimeSpan _cacheTtl;
    private readonly HttpMessageInvoker _http;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (Verdict Verdict, long Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the detector for the guardrail <paramref name="name"/>.</summary>
    public WebhookGuardrailDetector(string name, Uri url, IReadOnlyDictionary<string, string> headers, TimeSpan cacheTtl, HttpMessageInvoker http, TimeProvider time)
    {
        _name = name;
        _url = url;
        _headers = headers;
        _cacheTtl = cacheTtl;
        _http = http;
        _time = time;
    }

    /// <inheritdoc />
    public ITextDetector? Spans => null;

    /// <inheritdoc />
    public bool IsExternal => true;

    /// <inheritdoc />
    public async ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken)
    {
        var key = _cacheTtl > TimeSpan.Zero ? CacheKey(subject) : null;
        var now = _time.GetTimestamp();
        if (key is not null && _cache.TryGetValue(key, out var hit) && hit.Expires > now)
        {
            return hit.Verdict;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(Body(subject)) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Verdict.NotScanned($"the webhook answered HTTP {(int)response.StatusCode}");
        }

        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var verdict = Parse(answer);
        if (key is not null && verdict.Outcome != VerdictOutcome.NotScanned)
        {
            if (_cache.Count >= MaxCacheEntries)
            {
                _cache.Clear();
            }

            _cache[key] = (verdict, now + (long)(_cacheTtl.TotalSeconds * _time.TimestampFrequency));
        }

        return verdict;
    }

    /// <summary>Reads <c>{"verdict": "pass"|"violation", "reason": "...", "score": 0.9}</c>.</summary>
    public static Verdict Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("verdict", out var verdict) || verdict.ValueKind != JsonValueKind.String)
            {
                return Verdict.NotScanned("the webhook answer has no \"verdict\" string");
            }

            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var score = root.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 1;
            return verdict.GetString() switch
            {
                "pass" or "allow" => Verdict.Pass,
                "violation" or "block" or "deny" => Verdict.Violation(reason ?? "the webhook reported a violation", score),
                var other => Verdict.NotScanned($"the webhook answered an unknown verdict '{other}'"),
            };
        }
        catch (JsonException)
        {
            return Verdict.NotScanned("the webhook answer is not JSON");
        }
    }

    private byte[] Body(GuardrailSubject subject)
    {
        var buffer = new ArrayBufferWriter<byte>(subject.Text.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("guardrail", _name);
            writer.WriteString("stage", GuardrailNames.Stage(subject.Stage));
            writer.WriteString("mode", subject.Mode == Gatehouse.Inspection.Injection.InjectionMode.Direct ? "direct" : "indirect");
            writer.WriteString("content", subject.Text);
            if (subject.ToolName is { } tool)
            {
                writer.WriteString("tool", tool);
            }

            writer.WriteStartObject("context");
            writer.WriteString("request_id", subject.Exchange.Id);
            writer.WriteString("model", subject.Exchange.ModelRequested);
            writer.WriteString("team", subject.Exchange.Principal?.TeamId);
            writer.WriteString("key", subject.Exchange.Principal?.KeyId);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string CacheKey(GuardrailSubject subject)
    {
        var text = string.Concat(GuardrailNames.Stage(subject.Stage), "\0", subject.ToolName, "\0", subject.Text);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
