using System.Globalization;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Server.Config;
using Gatehouse.Server.Pipeline;
using Gatehouse.Storage.RequestLogs;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Http;

/// <summary><c>GET /admin/api/requests</c>: the request log, filtered by time, model and status.</summary>
public sealed class RequestLogEndpoint
{
    private readonly IRequestLogStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the endpoint.</summary>
    public RequestLogEndpoint(IRequestLogStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Answers the query.</summary>
    public async Task QueryAsync(HttpContext http)
    {
        RequestLogQuery query;
        try
        {
            query = ParseQuery(http.Request.Query, _time.GetUtcNow());
        }
        catch (GatewayException ex)
        {
            await ErrorResponder.WriteAsync(http, Dialect.OpenAiChat, ex.Error);
            return;
        }

        var records = await _store.QueryAsync(query, http.RequestAborted);
        using var buffer = new PooledBufferWriter(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var record in records)
            {
                RequestLogJson.Write(writer, record);
            }

            writer.WriteEndArray();
            writer.WriteNumber("count", records.Count);
            writer.WriteEndObject();
        }

        await ModelsEndpoint.WriteJsonAsync(http, buffer);
    }

    /// <summary>Parses since/until (ISO 8601 time or a duration ago such as 15m), model, status, errors and limit.</summary>
    public static RequestLogQuery ParseQuery(IQueryCollection query, DateTimeOffset now)
    {
        DateTimeOffset? Time(string name)
        {
            if (query[name].FirstOrDefault() is not { Length: > 0 } text)
            {
                return null;
            }

            if (DurationParser.TryParse(text, out var ago) && char.IsLetter(text[^1]))
            {
                return now - ago;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : throw new GatewayException(GatewayError.Invalid($"'{name}' must be an ISO 8601 time or a duration such as 15m or 24h; got \"{text}\".", name));
        }

        int? Int(string name, int min, int max)
        {
            if (query[name].FirstOrDefault() is not { Length: > 0 } text)
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new GatewayException(GatewayError.Invalid($"'{name}' must be a whole number from {min} to {max}; got \"{text}\".", name));
        }

        return new RequestLogQuery
        {
            Since = Time("since"),
            Until = Time("until"),
            Model = query["model"].FirstOrDefault() is { Length: > 0 } model ? model : null,
            Status = Int("status", 100, 599),
            ErrorsOnly = query["errors"].FirstOrDefault() is "true" or "1",
            Limit = Int("limit", 1, 10_000) ?? 100,
        };
    }
}
