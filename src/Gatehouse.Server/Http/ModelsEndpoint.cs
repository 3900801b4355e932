using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Http;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the models this gateway can serve, in OpenAI's format.</summary>
public sealed class ModelsEndpoint
{
    private readonly SnapshotHolder _snapshots;

    /// <summary>Creates the endpoint.</summary>
    public ModelsEndpoint(SnapshotHolder snapshots) => _snapshots = snapshots;

    /// <summary>Lists every model.</summary>
    public async Task ListAsync(HttpContext http)
    {
        using var buffer = new PooledBufferWriter(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var (id, owner) in _snapshots.Current.ListModels())
            {
                WriteModel(writer, id, owner);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await WriteJsonAsync(http, buffer);
    }

    /// <summary>Describes one model, or answers 404.</summary>
    public async Task GetAsync(HttpContext http)
    {
        var id = Uri.UnescapeDataString(http.Request.RouteValues["id"] as string ?? string.Empty);
        var resolution = _snapshots.Current.Resolve(id);
        var isRouter = _snapshots.Current.Routers.TryGet(id, out _);
        if (!resolution.Found && !isRouter)
        {
            await ErrorResponder.WriteAsync(http, Dialect.OpenAiChat, resolution.Error ?? new GatewayError(ErrorKind.NotFound, "Unknown model.", "model_not_found"));
            return;
        }

        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            WriteModel(writer, id, isRouter ? "gatehouse" : resolution.Targets![0].Provider.Name);
        }

        await WriteJsonAsync(http, buffer);
    }

    private static void WriteModel(Utf8JsonWriter writer, string id, string owner)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        writer.WriteString("owned_by", owner);
        writer.WriteEndObject();
    }

    /// <summary>Writes a JSON body with status 200.</summary>
    internal static async Task WriteJsonAsync(HttpContext http, PooledBufferWriter buffer)
    {
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
    }
}
