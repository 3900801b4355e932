using System.Text.Json;
using Json.Schema;

namespace Gatehouse.Inspection.Structured;

/// <summary>A JSON Schema compiled once (JsonSchema.Net) that validates model output; thread-safe after construction.</summary>
public sealed class JsonSchemaValidator
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };
    private readonly JsonSchema _schema;

    private JsonSchemaValidator(JsonSchema schema) => _schema = schema;

    /// <summary>Compiles <paramref name="schemaJson"/>; each schema gets its own registry, so <c>$id</c>s of different configs never clash.</summary>
    /// <exception cref="ArgumentException">The schema is not valid JSON or not a schema.</exception>
    public static JsonSchemaValidator Compile(string schemaJson)
    {
        try
        {
            var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            return new JsonSchemaValidator(JsonSchema.FromText(schemaJson, build));
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"Invalid JSON Schema: {e.Message}", nameof(schemaJson), e);
        }
    }

    /// <summary>Validates <paramref name="json"/>; text that is not JSON is one error at the root.</summary>
    public StructuredOutputResult Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new StructuredOutputResult(false, [new SchemaError(string.Empty, string.Empty, $"not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            var results = _schema.Evaluate(document.RootElement, Options);
            if (results.IsValid)
            {
                return new StructuredOutputResult(true, []);
            }

            var errors = new List<SchemaError>();
            Collect(results, errors);
            if (errors.Count == 0)
            {
                errors.Add(new SchemaError(string.Empty, string.Empty, "does not match the schema"));
            }

            return new StructuredOutputResult(false, errors);
        }
    }

    private static void Collect(EvaluationResults results, List<SchemaError> errors)
    {
        if (results.Errors is { } own)
        {
            foreach (var (keyword, message) in own)
            {
                errors.Add(new SchemaError(results.InstanceLocation.ToString(), $"{results.EvaluationPath}/{keyword}", message));
            }
        }

        if (results.Details is { } details)
        {
            foreach (var child in details)
            {
                Collect(child, errors);
            }
        }
    }
}
