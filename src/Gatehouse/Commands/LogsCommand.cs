using System.Globalization;
using System.Text.Json;
using Gatehouse.Protocol.Json;
using Gatehouse.Providers.Catalog;
using Gatehouse.Server.Config;
using Gatehouse.Server.Http;
using Gatehouse.Storage;
using Gatehouse.Storage.RequestLogs;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse logs</c>: prints the request log from the store the configuration names.</summary>
public static class LogsCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        args.Allow("config", "since", "until", "model", "status", "errors", "limit", "json");
        var config = args.Get("config") is { } path ? new ConfigLoader().LoadFile(path) : DefaultConfig.Create();
        await using var stores = StoreSet.Open(config.Storage.Url);
        var store = stores.RequestLogs;
        await store.InitializeAsync(CancellationToken.None);
        var query = new RequestLogQuery
        {
            Since = Ago(args.Get("since")),
            Until = Ago(args.Get("until")),
            Model = args.Get("model"),
            Status = args.Get("status") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null,
            ErrorsOnly = args.Has("errors"),
            Limit = args.Get("limit") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 50,
        };
        var records = await store.QueryAsync(query, CancellationToken.None);
        if (args.Has("json"))
        {
            using var buffer = new PooledBufferWriter();
            foreach (var record in records)
            {
                buffer.Clear();
                using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
                {
                    RequestLogJson.Write(writer, record);
                }

                Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
            }

            return 0;
        }

        Console.WriteLine($"{"TIME (UTC)",-20} {"STATUS",6} {"MODEL",-32} {"SERVED BY",-36} {"MS",8} {"IN",7} {"OUT",7} {"COST USD",12}  ID");
        foreach (var r in records)
        {
            var served = r.Provider is null ? "-" : $"{r.Provider}/{r.ModelServed}";
            var cost = r.CostUsd is { } c ? ModelCatalog.FormatUsd(c) : "-";
            Console.WriteLine($"{r.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss} {r.Status,6} {Trim(r.ModelRequested ?? "-", 32),-32} {Trim(served, 36),-36} {r.LatencyMs,8:0.0} {r.InputTokens,7} {r.OutputTokens,7} {cost,12}  {r.Id}{(r.ErrorCode is null ? string.Empty : $"  {r.ErrorCode}")}");
        }

        return 0;
    }

    private static DateTimeOffset? Ago(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DurationParser.TryParse(text, out var ago))
        {
            return TimeProvider.System.GetUtcNow() - ago;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ArgumentException($"'{text}' is neither a duration (15m, 24h) nor a time");
    }

    private static string Trim(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
