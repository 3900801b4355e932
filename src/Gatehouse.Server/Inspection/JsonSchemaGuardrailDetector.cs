using System.Collections.Concurrent;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Structured;

namespace Gatehouse.Server.Inspection;

/// <summary>Validates the model's answer against a configured JSON Schema, or against the request's own json_schema.</summary>
public sealed class JsonSchemaGuardrailDetector : IGuardrailDetector
{
    private const int MaxCachedSchemas = 256;
    private readonly JsonSchemaValidator? _configured;
    private readonly ConcurrentDictionary<string, JsonSchemaValidator?> _fromRequests = new(StringComparer.Ordinal);

    /// <summary>Creates the guardrail; null <paramref name="schemaJson"/> uses each request's json_schema.</summary>
    public JsonSchemaGuardrailDetector(string? schemaJson) =>
        _configured = schemaJson is null ? null : JsonSchemaValidator.Compile(schemaJson);

    /// <inheritdoc />
    public ITextDetector? Spans => null;

    /// <inheritdoc />
    public bool IsExternal => false;

    /// <inheritdoc />
    public ValueTask<Verdict> CheckAsync(GuardrailSubject subject, CancellationToken cancellationToken)
    {
        var validator = _configured ?? FromRequest(subject.RequestSchema);
        if (validator is null)
        {
            // Nothing to validate against: a request without json_schema makes no structural promise.
            return ValueTask.FromResult(subject.RequestSchema is null ? Verdict.Pass : Verdict.NotScanned("the request's json_schema could not be compiled"));
        }

        var result = validator.Validate(subject.Text);
        return ValueTask.FromResult(result.IsValid ? Verdict.Pass : Verdict.Violation(
            $"the answer does not match the JSON schema at '{result.Errors[0].InstancePointer}': {result.Errors[0].Message}",
            1,
            [new Detection(DetectorNames.StructuredOutput, "schema_violation", 0, 0, 1)]));
    }

    private JsonSchemaValidator? FromRequest(string? schema)
    {
        if (schema is null)
        {
            return null;
        }

        if (_fromRequests.TryGetValue(schema, out var cached))
        {
            return cached;
        }

        JsonSchemaValidator? compiled;
        try
        {
            compiled = JsonSchemaValidator.Compile(schema);
        }
        catch (ArgumentException)
        {
            compiled = null;
        }

        if (_fromRequests.Count >= MaxCachedSchemas)
        {
            _fromRequests.Clear();
        }

        _fromRequests[schema] = compiled;
        return compiled;
    }
}
