using Gatehouse.Inspection.Structured;
using Xunit;

namespace Gatehouse.Inspection.Tests.Structured;

public class JsonSchemaValidatorTests
{
    private static readonly JsonSchemaValidator Validator = JsonSchemaValidator.Compile("""
        {"type": "object", "required": ["name", "age"], "additionalProperties": false,
         "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0},
                        "tags": {"type": "array", "items": {"type": "string"}}}}
        """);

    [Fact]
    public void Valid_json_passes() => Assert.True(Validator.Validate("""{"name": "Ada", "age": 36, "tags": ["x"]}""").IsValid);

    [Fact]
    public void Errors_carry_json_pointers()
    {
        var result = Validator.Validate("""{"name": "", "age": -1, "tags": ["ok", 3]}""");
        Assert.False(result.IsValid);
        var pointers = result.Errors.Select(e => e.InstancePointer).ToList();
        Assert.Contains("/name", pointers);
        Assert.Contains("/age", pointers);
        Assert.Contains("/tags/1", pointers);
        Assert.True(result.ToVerdict().IsViolation);
    }

    [Fact]
    public void Missing_and_extra_properties_are_reported()
    {
        var result = Validator.Validate("""{"name": "x", "extra": true}""");
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Text_that_is_not_json_is_one_root_error()
    {
        var error = Assert.Single(Validator.Validate("Sure! Here is the JSON: {").Errors);
        Assert.Equal(string.Empty, error.InstancePointer);
    }

    [Fact]
    public void Invalid_schema_is_rejected() => Assert.Throws<ArgumentException>(() => JsonSchemaValidator.Compile("{not json"));
}
