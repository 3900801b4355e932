using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gatehouse.Protocol.Json;
using Xunit;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>The pass-through rewriter changes only the top-level model (and adds stream_options when asked), or declines.</summary>
public sealed class JsonBodyRewriterProperties
{
    private static readonly JsonSerializerOptions[] Formats =
    [
        new() { WriteIndented = false },
        new() { WriteIndented = true },
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
    ];

    [Property(Arbitrary = [typeof(JsonBodyRewriterProperties)], MaxTest = 500)]
    public void Only_the_model_changes(RewritableBody body, NonNull<string> model, bool addStreamUsage)
    {
        var rewritten = TryRewrite(body.Bytes, model.Get, addStreamUsage);

        if (addStreamUsage && body.Json.ContainsKey("stream_options"))
        {
            // The client's own stream_options must not be overridden in place: the caller re-encodes instead.
            Assert.Null(rewritten);
            return;
        }

        var expected = body.Json.DeepClone().AsObject();
        expected["model"] = model.Get;
        if (addStreamUsage)
        {
            expected["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        Assert.NotNull(rewritten);
        Fixture.AssertJsonEqual(expected, JsonNode.Parse(rewritten));
    }

    [Property(Arbitrary = [typeof(JsonBodyRewriterProperties)], MaxTest = 500)]
    public void Bodies_that_are_not_objects_with_one_string_model_are_declined(UnrewritableBody body, bool addStreamUsage)
    {
        Assert.Null(TryRewrite(body.Bytes, "gpt-4o", addStreamUsage));
    }

    /// <summary>Valid JSON objects with one top-level string model, in several formats.</summary>
    public static Arbitrary<RewritableBody> Rewritable() => Arb.From(
        from obj in JsonGenerators.Object
        from withStreamOptions in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from model in JsonGenerators.Text
        from position in Gen.Choose(0, 4)
        from format in Gen.Elements(Formats)
        select RewritableBody.Create(obj, withStreamOptions, model, position, format));

    /// <summary>Non-objects, objects without a string model or with two, truncated or trailing-garbage bodies.</summary>
    public static Arbitrary<UnrewritableBody> Unrewritable() => Arb.From(Gen.OneOf(
        JsonGenerators.Value.Where(v => v is not JsonObject).Select(v => Body(v?.ToJsonString() ?? "null")),
        JsonGenerators.Object.Select(o => { o.Remove("model"); return Body(o.ToJsonString()); }),
        from obj in JsonGenerators.Object
        from model in JsonGenerators.Value.Where(v => v is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        select Body(With(obj, "model", model).ToJsonString()),
        from obj in JsonGenerators.Object
        select Body("{\"model\":\"a\"," + With(obj, "model", "b").ToJsonString()[1..]),
        from obj in JsonGenerators.Object
        from cut in Gen.Choose(0, 10_000)
        let text = With(obj, "model", "m").ToJsonString()
        select Body(text[..(cut % text.Length)]),
        from obj in JsonGenerators.Object
        from garbage in Gen.Elements("x", "{}", "[", "\"", ",1", "}", "{\"model\":\"b\"}")
        select Body(With(obj, "model", "m").ToJsonString() + garbage)));

    private static UnrewritableBody Body(string json) => new(Encoding.UTF8.GetBytes(json));

    private static JsonObject With(JsonObject obj, string name, JsonNode? value)
    {
        obj[name] = value;
        return obj;
    }

    private static string? TryRewrite(byte[] body, string model, bool addStreamUsage)
    {
        using var buffer = new PooledBufferWriter();
        if (!JsonBodyRewriter.TryRewrite(body, model, addStreamUsage, buffer))
        {
            Assert.Equal(0, buffer.WrittenCount);
            return null;
        }

        return Fixture.Utf8(buffer.WrittenSpan);
    }
}

/// <summary>A body the rewriter must rewrite, with its parsed form.</summary>
public sealed record RewritableBody(JsonObject Json, byte[] Bytes)
{
    internal static RewritableBody Create(JsonObject obj, bool withStreamOptions, string model, int position, JsonSerializerOptions format)
    {
        obj.Remove("model");
        obj.Remove("stream_options");
        if (withStreamOptions)
        {
            obj["stream_options"] = new JsonObject { ["include_usage"] = false };
        }

        obj.Insert(Math.Min(position, obj.Count), "model", model);
        return new RewritableBody(obj, Encoding.UTF8.GetBytes(obj.ToJsonString(format)));
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}

/// <summary>A body the rewriter must decline.</summary>
public sealed record UnrewritableBody(byte[] Bytes)
{
    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}
