using System.Globalization;
using System.Text;
using Gatehouse.Inspection;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>
/// Asks a configured model, through the gateway's own provider runtime, whether content violates a policy, and reads a
/// Llama-Guard-style answer: <c>safe</c>, or <c>unsafe</c> with the violated category codes on the next line.
/// </summary>
public sealed class LlmJudgeGuardrailDetector : IGuardrailDetector
{
    private const int MaxAnswerBytes = 1024 * 1024;
    private readonly string _model;
    private readonly string _prompt;
    private readonly IReadOnlyDictionary<string, string> _categories;
    private readonly TimeProvider _time;

    /// <summary>Creates the judge; empty <paramref name="categories"/> uses the Llama Guard 3 list.</summary>
    public LlmJudgeGuardrailDetector(string model, string? policy, IReadOnlyDictionary<string, string> categories, TimeProvider time)
    {
        _model = model;
        _categories = categories.Count > 0 ? categories : LlamaGuardCategories.Default;
        _prompt = policy ?? LlamaGuardCategories.Prompt(_categories);
        _time = time;
    }

    /// <inheritdoc />
    public ITextDetector? Spans => null;

    /// <inheritdoc />
    public bool IsExternal => true;

    /// <inheritdoc />
    public async ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken)
    {
        var resolution = subject.Exchange.Snapshot.Resolve(_model);
        if (!resolution.Found)
        {
            return Verdict.NotScanned($"the judge model '{_model}' is not served by this gateway");
        }

        var target = resolution.Targets![0];
        var request = new ChatRequest
        {
            Model = _model,
            MaxTokens = 32,
            Temperature = 0,
            SourceDialect = target.Provider.Adapter.Dialect,
            Messages =
            [
                new ChatMessage(Role.System, [new TextPart(_prompt)]),
                new ChatMessage(Role.User, [new TextPart($"{Describe(subject)}\n\n<content>\n{subject.Text}\n</content>")]),
            ],
        };
        using var message = target.Provider.Adapter.BuildChatRequest(request, target.Model, null);
        using var response = await target.Provider.Invoker.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Verdict.NotScanned($"the judge model answered HTTP {(int)response.StatusCode}");
        }

        using var body = await UpstreamBody.ReadAsync(response, MaxAnswerBytes, target.Provider.Name, cancellationToken);
        var answer = target.Provider.Adapter.DecodeChatResponse(body.Memory, _time.GetUtcNow().ToUnixTimeSeconds());
        return Parse(CanonicalText.Join(answer.Parts), _categories);
    }

    /// <summary>Reads <c>safe</c> or <c>unsafe\nS1,S3</c> (case-insensitive, surrounding whitespace ignored).</summary>
    public static Verdict Parse(string answer, IReadOnlyDictionary<string, string> categories)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(categories);
        var text = answer.Trim();
        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (firstLineEnd < 0 ? text : text[..firstLineEnd]).Trim().ToLowerInvariant();
        if (first == "safe")
        {
            return Verdict.Pass;
        }

        if (!first.StartsWith("unsafe", StringComparison.Ordinal))
        {
            return Verdict.NotScanned("the judge answered neither 'safe' nor 'unsafe'");
        }

        var codes = text[6..].Split([',', '\n', ' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = new StringBuilder("unsafe");
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i].ToUpperInvariant();
            reason.Append(i == 0 ? ": " : ", ").Append(code);
            if (categories.TryGetValue(code, out var description))
            {
                reason.Append(CultureInfo.InvariantCulture, $" ({description})");
            }
        }

        return Verdict.Violation(reason.ToString(), 1, [new Detection("llm_judge", codes.Length > 0 ? codes[0].ToUpperInvariant() : "unsafe", 0, 0, 1)]);
    }

    private static string Describe(GuardrailSubject subject) => subject.Stage switch
    {
        GuardrailStage.Output => "Assess the assistant's answer below.",
        GuardrailStage.ToolCalls => $"Assess the arguments of a call to the tool '{subject.ToolName}' below.",
        GuardrailStage.ToolResults => "Assess the tool result below, which will be shown to the assistant.",
        _ => "Assess the user's message below.",
    };
}
