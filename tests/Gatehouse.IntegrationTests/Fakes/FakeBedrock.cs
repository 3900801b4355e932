using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Protocol.Bedrock.EventStream;
using Gatehouse.Providers.Bedrock;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// A fake AWS Bedrock runtime speaking Converse (<c>POST /model/{id}/converse</c>) and ConverseStream
/// (<c>POST /model/{id}/converse-stream</c>, answered as <c>application/vnd.amazon.eventstream</c> frames) as the real
/// service does. Every request must carry a valid SigV4 signature for service <c>bedrock</c>: the fake recomputes it
/// from the raw request target, the signed headers and the body it received, with the same credentials, and answers
/// 403 <c>SignatureDoesNotMatch</c> otherwise. (It recomputes with <see cref="SigV4Signer"/>, which is checked against
/// the AWS SDK and the AWS test suite in unit tests; here it catches wiring faults: unsigned headers, a changed body,
/// the wrong region, a stale clock or token.)
/// <para>
/// It replies "Bedrock says: &lt;last user text&gt;", or calls the requested tool (the first one for
/// <c>toolChoice.any</c>) with <c>{"city":"Paris"}</c>; it streams messageStart, three text deltas, contentBlockStop,
/// messageStop and metadata, with the random-looking <c>p</c> padding field real Bedrock adds to event payloads.
/// </para>
/// </summary>
public sealed class FakeBedrock : IFakeUpstream
{
    /// <summary>The message Bedrock sends with a <c>SignatureDoesNotMatch</c> error.</summary>
    public const string SignatureMismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private const string CoralErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.coral.service/";
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] ToolInputFragments = ["{\"city\":", "\"Paris\"}"];

    private readonly Lock _gate = new();
    private readonly string _accessKeyId;
    private readonly string _region;
    private readonly byte[]? _sessionToken;
    private readonly SigV4Signer _verifier;
    private readonly TimeProvider? _time;
    private int? _failNext;
    private string? _exceptionFrameNext;

    /// <summary>
    /// Creates the fake for one set of credentials and a region. With <paramref name="sessionToken"/> it also requires
    /// that token; with <paramref name="time"/> it rejects signatures more than five minutes off that clock, as AWS does.
    /// </summary>
    public FakeBedrock(string accessKeyId, string secretAccessKey, string region, string? sessionToken = null, TimeProvider? time = null)
    {
        _accessKeyId = accessKeyId;
        _region = region;
        _sessionToken = sessionToken is null ? null : Encoding.UTF8.GetBytes(sessionToken);
        _time = time;
        _verifier = new SigV4Signer(BedrockAdapter.SigningService, region, accessKeyId, secretAccessKey, sessionToken, time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public List<RecordedRequest> Received { get; } = [];

    /// <summary>
    /// When set, the next correctly signed request fails with this HTTP status and the matching Bedrock error type
    /// (400 ValidationException, 403 AccessDeniedException, 404 ResourceNotFoundException, 408 ModelTimeoutException,
    /// 424 ModelErrorException, 429 ThrottlingException, 503 ServiceUnavailableException, others InternalServerException).
    /// Cleared once used.
    /// </summary>
    public int? FailNext
    {
        get { lock (_gate) { return _failNext; } }
        set { lock (_gate) { _failNext = value; } }
    }

    /// <summary>
    /// When set (for example <c>throttlingException</c>), the next ConverseStream answer is HTTP 200 whose first and only
    /// frame is an exception frame of this type. Cleared once used.
    /// </summary>
    public string? ExceptionFrameNext
    {
        get { lock (_gate) { return _exceptionFrameNext; } }
        set { lock (_gate) { _exceptionFrameNext = value; } }
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var target = RawTarget(context);
        Record(request, target, body);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();

        if (!HttpMethods.IsPost(request.Method) || !TryParseTarget(target, out var operation))
        {
            await ErrorAsync(context, 404, "UnknownOperationException", null, "The requested operation is not recognized by the service.");
            return;
        }

        if (VerifySignature(request, target, body) is { } rejection)
        {
            await ErrorAsync(context, rejection.Status, rejection.Type, CoralErrorTypeSuffix, rejection.Message);
            return;
        }

        if (Take(ref _failNext) is { } status)
        {
            var (type, message) = ScriptedError(status);
            await ErrorAsync(context, status, type, ErrorTypeSuffix, message);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "ValidationException", ErrorTypeSuffix, "Malformed input request, please reformat your input and try again.");
            return;
        }

        using (document)
        {
            if (Validate(document.RootElement) is { } invalid)
            {
                await ErrorAsync(context, 400, "ValidationException", ErrorTypeSuffix, invalid);
                return;
            }

            var reply = Reply.For(document.RootElement);
            if (operation == "converse")
            {
                await ConverseAsync(context, reply);
            }
            else
            {
                await ConverseStreamAsync(context, reply);
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The request target exactly as sent: the signature covers the path in its percent-encoded wire form.</summary>
    private static string RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? context.Request.PathBase.Add(context.Request.Path).ToUriComponent() + context.Request.QueryString : raw;
    }

    private void Record(HttpRequest request, string target, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        lock (_gate)
        {
            Received.Add(new RecordedRequest(request.Method, target, headers, body));
        }
    }

    private static bool TryParseTarget(string target, out string operation)
    {
        var path = target.Split('?', 2)[0];
        var segments = path.Split('/');
        operation = segments.Length == 4 ? segments[3] : string.Empty;
        return segments is ["", "model", { Length: > 0 }, "converse" or "converse-stream"];
    }

    private Rejection? VerifySignature(HttpRequest request, string target, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return new(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!TryParseAuthorization(authorization, out var credential, out var signedHeaders))
        {
            return new(403, "IncompleteSignatureException", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization.Split(' ')[0]}");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || !string.Equals(scope[0], _accessKeyId, StringComparison.Ordinal))
        {
            return new(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (!string.Equals(scope[2], _region, StringComparison.Ordinal))
        {
            return new(403, "InvalidSignatureException", $"Credential should be scoped to a valid region. Expected '{_region}'.");
        }

        if (!string.Equals(scope[3], BedrockAdapter.SigningService, StringComparison.Ordinal) || scope[4] != "aws4_request")
        {
            return new(403, "InvalidSignatureException", "Credential should be scoped to correct service: 'bedrock'.");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return new(403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (_time is not null && (signedAt - _time.GetUtcNow()).Duration() > AllowedSkew)
        {
            var now = _time.GetUtcNow();
            return new(403, "InvalidSignatureException", $"Signature expired: {amzDate} is now earlier than {SigV4Signer.AmzDate(now - AllowedSkew)} ({SigV4Signer.AmzDate(now)} - 5 min.)");
        }

        if (_sessionToken is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers["x-amz-security-token"].ToString()), _sessionToken))
        {
            return new(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return new(403, "SignatureDoesNotMatch", SignatureMismatchMessage);
        }

        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (var name in names)
        {
            var value = name == "host" ? request.Host.Value : request.Headers[name].ToString();
            headers.Add(new(name, value ?? string.Empty));
        }

        // The payload hash is computed from the body received, never taken from the client's header.
        var parts = target.Split('?', 2);
        var expected = _verifier.Authorization(request.Method, parts[0], parts.Length > 1 ? parts[1] : string.Empty, headers, SigV4Signer.HashHex(body), signedAt);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(authorization))
            ? null
            : new(403, "SignatureDoesNotMatch", SignatureMismatchMessage);
    }

    private static bool TryParseAuthorization(string authorization, out string credential, out string signedHeaders)
    {
        credential = string.Empty;
        signedHeaders = string.Empty;
        var signature = string.Empty;
        if (!authorization.StartsWith(SigV4Signer.Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var part in authorization[(SigV4Signer.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Credential=", StringComparison.Ordinal))
            {
                credential = part["Credential=".Length..];
            }
            else if (part.StartsWith("SignedHeaders=", StringComparison.Ordinal))
            {
                signedHeaders = part["SignedHeaders=".Length..];
            }
            else if (part.StartsWith("Signature=", StringComparison.Ordinal))
            {
                signature = part["Signature=".Length..];
            }
        }

        return credential.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }

    /// <summary>The checks real Bedrock makes that a wrong translation would trip.</summary>
    private static string? Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return "Malformed input request, please reformat your input and try again.";
        }

        var hasToolBlocks = false;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (role is not ("user" or "assistant"))
            {
                return $"Malformed input request: #/messages/{index}/role: {role ?? "null"} is not a valid enum value, please reformat your input and try again.";
            }

            if (index == 0 && role != "user")
            {
                return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
            }

            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
            {
                return $"The content field in the Message object at messages.{index} is empty. Add a ContentBlock object to the content field and try again.";
            }

            var block = 0;
            foreach (var item in content.EnumerateArray())
            {
                if (item.TryGetProperty("text", out var text) && (text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString())))
                {
                    return $"The text field in the ContentBlock object at messages.{index}.content.{block} is blank. Add text to the text field, and try again.";
                }

                hasToolBlocks |= item.TryGetProperty("toolUse", out _) || item.TryGetProperty("toolResult", out _);
                block++;
            }

            index++;
        }

        if (index == 0)
        {
            return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
        }

        if (hasToolBlocks && !root.TryGetProperty("toolConfig", out _))
        {
            return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
        }

        if (root.TryGetProperty("toolConfig", out var toolConfig) && ValidateTools(toolConfig) is { } invalidTools)
        {
            return invalidTools;
        }

        if (root.TryGetProperty("inferenceConfig", out var inference) && inference.TryGetProperty("temperature", out var temperature)
            && (!temperature.TryGetDouble(out var t) || t is < 0 or > 1))
        {
            return "The model returned the following errors: temperature: range: 0..1";
        }

        return null;
    }

    private static string? ValidateTools(JsonElement toolConfig)
    {
        if (toolConfig.ValueKind != JsonValueKind.Object || !toolConfig.TryGetProperty("tools", out var tools)
            || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return "The value at toolConfig.tools must have at least 1 element.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.TryGetProperty("cachePoint", out _))
            {
                continue;
            }

            if (!tool.TryGetProperty("toolSpec", out var spec) || !spec.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !spec.TryGetProperty("inputSchema", out var schema) || !schema.TryGetProperty("json", out _))
            {
                return "Malformed input request: toolConfig.tools entries need toolSpec.name and toolSpec.inputSchema.json, please reformat your input and try again.";
            }

            names.Add(name.GetString()!);
        }

        if (toolConfig.TryGetProperty("toolChoice", out var choice) && choice.TryGetProperty("tool", out var named)
            && !(named.TryGetProperty("name", out var chosen) && chosen.ValueKind == JsonValueKind.String && names.Contains(chosen.GetString()!)))
        {
            return "The tool named in toolChoice.tool.name is not in toolConfig.tools.";
        }

        return null;
    }

    private static async Task ConverseAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("output");
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            writer.WriteStartObject();
            if (reply.ToolName is { } tool)
            {
                writer.WriteStartObject("toolUse");
                writer.WriteString("toolUseId", reply.ToolUseId);
                writer.WriteString("name", tool);
                writer.WritePropertyName("input");
                writer.WriteRawValue(Reply.ToolInput);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("text", reply.Text);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("stopReason", reply.StopReason);
            WriteUsage(writer, reply);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    private async Task ConverseStreamAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/vnd.amazon.eventstream";
        if (Take(ref _exceptionFrameNext) is { } exceptionType)
        {
            await FrameAsync(context, (output, _) => EventStreamWriter.WriteException(output, exceptionType, ExceptionPayload(exceptionType)));
            return;
        }

        await EventAsync(context, "messageStart", w => w.WriteString("role", "assistant"));
        if (reply.ToolName is { } tool)
        {
            await EventAsync(context, "contentBlockStart", w =>
            {
                w.WriteNumber("contentBlockIndex", 0);
                w.WriteStartObject("start");
                w.WriteStartObject("toolUse");
                w.WriteString("toolUseId", reply.ToolUseId);
                w.WriteString("name", tool);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            foreach (var fragment in ToolInputFragments)
            {
                await EventAsync(context, "contentBlockDelta", w => Delta(w, "toolUse", "input", fragment));
            }
        }
        else
        {
            foreach (var piece in Reply.Split(reply.Text, 3))
            {
                await EventAsync(context, "contentBlockDelta", w => Delta(w, null, "text", piece));
            }
        }

        await EventAsync(context, "contentBlockStop", w => w.WriteNumber("contentBlockIndex", 0));
        await EventAsync(context, "messageStop", w => w.WriteString("stopReason", reply.StopReason));
        await EventAsync(context, "metadata", w => WriteUsage(w, reply));
    }

    private static void Delta(Utf8JsonWriter writer, string? container, string name, string value)
    {
        writer.WriteNumber("contentBlockIndex", 0);
        writer.WriteStartObject("delta");
        if (container is not null)
        {
            writer.WriteStartObject(container);
        }

        writer.WriteString(name, value);
        if (container is not null)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, Reply reply)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("inputTokens", reply.InputTokens);
        writer.WriteNumber("outputTokens", reply.OutputTokens);
        writer.WriteNumber("totalTokens", reply.InputTokens + reply.OutputTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("metrics");
        writer.WriteNumber("latencyMs", 42);
        writer.WriteEndObject();
    }

    /// <summary>Writes one event frame whose JSON payload ends with Bedrock's <c>p</c> padding field, then flushes it.</summary>
    private static Task EventAsync(HttpContext context, string eventType, Action<Utf8JsonWriter> writePayload) =>
        FrameAsync(context, (output, frame) =>
        {
            var json = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                writePayload(writer);
                writer.WriteString("p", Padding[..(1 + (frame * 7 % Padding.Length))]);
                writer.WriteEndObject();
            }

            EventStreamWriter.WriteEvent(output, eventType, json.WrittenSpan);
        });

    private static async Task FrameAsync(HttpContext context, Action<ArrayBufferWriter<byte>, int> write)
    {
        var frames = context.Items.TryGetValue(typeof(FakeBedrock), out var count) ? (int)count! : 0;
        context.Items[typeof(FakeBedrock)] = frames + 1;
        var output = new ArrayBufferWriter<byte>();
        write(output, frames);
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static byte[] ExceptionPayload(string exceptionType)
    {
        var message = exceptionType switch
        {
            "throttlingException" => "Too many requests, please wait before trying again.",
            "serviceUnavailableException" => "Bedrock is unable to process your request.",
            "modelNotReadyException" => "Model is not ready for inference. Wait and try your request again.",
            "validationException" => "The model returned the following errors: Input is too long for requested model.",
            "modelTimeoutException" => "Model has timed out in processing the request. Try your request again.",
            "modelStreamErrorException" => "The model stream failed.",
            _ => "The server encountered an internal error while processing the request.",
        };
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            if (exceptionType == "modelStreamErrorException")
            {
                writer.WriteNumber("originalStatusCode", 500);
                writer.WriteString("originalMessage", "Internal model error.");
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static (string Type, string Message) ScriptedError(int status) => status switch
    {
        400 => ("ValidationException", "The provided model identifier is invalid."),
        403 => ("AccessDeniedException", "You don't have access to the model with the specified model ID."),
        404 => ("ResourceNotFoundException", "Could not resolve the foundation model from the provided model identifier."),
        408 => ("ModelTimeoutException", "Model has timed out in processing the request. Try your request again."),
        424 => ("ModelErrorException", "The model encountered an error processing the request."),
        429 => ("ThrottlingException", "Too many requests, please wait before trying again."),
        503 => ("ServiceUnavailableException", "Bedrock is unable to process your request."),
        _ => ("InternalServerException", "The server encountered an internal error while processing the request."),
    };

    private static async Task ErrorAsync(HttpContext context, int status, string type, string? suffix, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers["x-amzn-ErrorType"] = type + suffix;
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    private T? Take<T>(ref T? field)
    {
        lock (_gate)
        {
            var value = field;
            field = default;
            return value;
        }
    }

    private sealed record Rejection(int Status, string Type, string Message);

    /// <summary>What the fake answers to one conversation.</summary>
    private sealed class Reply
    {
        public const string ToolInput = """{"city":"Paris"}""";

        private Reply(string text, string? toolName, long inputTokens)
        {
            Text = text;
            ToolName = toolName;
            InputTokens = inputTokens;
            OutputTokens = toolName is null ? Words(text) : 12;
        }

        public string Text { get; }

        public string? ToolName { get; }

        public string ToolUseId { get; } = "tooluse_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(11));

        public string StopReason => ToolName is null ? "end_turn" : "tool_use";

        public long InputTokens { get; }

        public long OutputTokens { get; }

        public static Reply For(JsonElement root)
        {
            var inputTokens = 0L;
            if (root.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in system.EnumerateArray())
                {
                    inputTokens += block.TryGetProperty("text", out var t) ? Words(t.GetString()) : 0;
                }
            }

            string? lastUserText = null;
            var lastHasToolResult = false;
            foreach (var message in root.GetProperty("messages").EnumerateArray())
            {
                var texts = new List<string>();
                lastHasToolResult = false;
                foreach (var block in message.GetProperty("content").EnumerateArray())
                {
                    if (block.TryGetProperty("text", out var text))
                    {
                        texts.Add(text.GetString()!);
                        inputTokens += Words(text.GetString());
                    }

                    lastHasToolResult |= block.TryGetProperty("toolResult", out _);
                }

                if (message.GetProperty("role").GetString() == "user" && texts.Count > 0)
                {
                    lastUserText = string.Join(' ', texts);
                }
            }

            return new Reply($"Bedrock says: {lastUserText}", lastHasToolResult ? null : RequestedTool(root), Math.Max(1, inputTokens));
        }

        /// <summary>Splits text into <paramref name="count"/> pieces without cutting a surrogate pair.</summary>
        public static IEnumerable<string> Split(string text, int count)
        {
            var start = 0;
            for (var i = 1; i <= count; i++)
            {
                var end = i == count ? text.Length : text.Length * i / count;
                if (end > 0 && end < text.Length && char.IsHighSurrogate(text[end - 1]))
                {
                    end++;
                }

                yield return text[start..Math.Max(start, end)];
                start = Math.Max(start, end);
            }
        }

        private static string? RequestedTool(JsonElement root)
        {
            if (!root.TryGetProperty("toolConfig", out var config) || !config.TryGetProperty("toolChoice", out var choice)
                || !config.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            if (choice.TryGetProperty("tool", out var named))
            {
                return named.GetProperty("name").GetString();
            }

            if (!choice.TryGetProperty("any", out _))
            {
                return null;
            }

            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("toolSpec", out var spec))
                {
                    return spec.GetProperty("name").GetString();
                }
            }

            return null;
        }

        private static long Words(string? text) =>
            text is null ? 0 : text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
    }
}
