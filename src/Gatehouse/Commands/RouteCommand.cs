using System.Globalization;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Config;
using Gatehouse.Server.Routing;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse route explain</c> (a router's decision on a request, offline) and <c>gatehouse route eval</c> (accuracy on a labelled set).</summary>
public static class RouteCommand
{
    private const string ExplainUsage = "usage: gatehouse route explain --config FILE [--router NAME] [--header k=v ...] [--team T] [--user U] [--tags a,b] [--tools] [--images] [--at HH:MM] \"text\"";

    /// <summary>Dispatches <c>route explain</c> and <c>route eval</c>; exit code 1 when the config is invalid.</summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        try
        {
            return args.Positional.Count > 0 && args.Positional[0] == "eval"
                ? await RouteEvaluation.RunAsync(args)
                : await ExplainAsync(args);
        }
        catch (ConfigException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }

            return 1;
        }
    }

    /// <summary>The router of <paramref name="snapshot"/> named <paramref name="name"/>, or its only one.</summary>
    internal static Router PickRouter(GatewaySnapshot snapshot, string? name)
    {
        if (name is not null)
        {
            return snapshot.Routers.TryGet(name, out var named) ? named : throw new ArgumentException($"no router named '{name}' (routers: {string.Join(", ", snapshot.Routers.Names)})");
        }

        var all = snapshot.Routers.All.ToList();
        return all.Count == 1 ? all[0] : throw new ArgumentException(all.Count == 0 ? "the config has no routers" : $"the config has several routers; name one with --router ({string.Join(", ", all.Select(r => r.Name))})");
    }

    /// <summary>A request with one user message, as the router sees it.</summary>
    internal static ChatRequest UserRequest(string model, string text) => new()
    {
        Model = model,
        Messages = [new ChatMessage(Role.User, [new TextPart(text)])],
    };

    private static async Task<int> ExplainAsync(Arguments args)
    {
        args.Allow("config", "router", "model", "header", "team", "user", "tags", "tools", "images", "at");
        if (args.Positional.Count != 2 || args.Positional[0] != "explain" || args.Get("config") is not { } path)
        {
            throw new ArgumentException(ExplainUsage);
        }

        var config = new ConfigLoader().LoadFile(path);
        using var handlers = new HandlerCache(TimeProvider.System);
        var snapshot = new SnapshotCompiler(handlers).Compile(config);
        var router = PickRouter(snapshot, args.Get("router") ?? args.Get("model"));
        var headers = new HeaderDictionary();
        foreach (var pair in args.GetAll("header"))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--header takes name=value; got '{pair}'");
            }

            headers.Append(pair[..equals], pair[(equals + 1)..]);
        }

        var facts = new RouteFacts
        {
            Request = UserRequest(args.Get("model") ?? router.Name, args.Positional[1]),
            Headers = headers,
            TeamId = args.Get("team"),
            UserId = args.Get("user"),
            Tags = args.Get("tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            HasTools = args.Has("tools"),
            HasImages = args.Has("images"),
            Now = At(args.Get("at")),
        };

        var decision = await router.DecideAsync(facts, explain: true, CancellationToken.None);
        Print(router, facts, decision);
        return 0;
    }

    private static void Print(Router router, RouteFacts facts, RouteDecision decision)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"router {router.Name}: {router.Rules.Count} rule(s), {(router.Semantic is { } s ? $"semantic ({s.EmbedderName}, threshold {s.Threshold:0.000})" : "no semantic routes")}, default {router.Default}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request: model {facts.Request.Model}, ~{facts.PromptTokens} prompt tokens, team {facts.TeamId ?? "-"}, user {facts.UserId ?? "-"}, tags [{string.Join(",", facts.Tags)}], tools {(facts.HasTools ? "yes" : "no")}, images {(facts.HasImages ? "yes" : "no")}, {facts.Now:HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("rules (first match wins):");
        for (var i = 0; i < router.Rules.Count; i++)
        {
            var rule = router.Rules[i];
            var verdict = i < decision.Rules.Count
                ? decision.Rules[i].Matched ? "MATCH" : $"no ({decision.Rules[i].FailedCondition} does not hold)"
                : "not evaluated (an earlier rule matched)";
            Console.WriteLine($"  {i + 1}. {rule.Name,-20} -> {rule.Model,-28} {verdict}");
        }

        if (router.Rules.Count == 0)
        {
            Console.WriteLine("  (none)");
        }

        if (router.Semantic is { } semantic && decision.Semantic is { } result)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"semantic routes ({semantic.EmbedderName}, threshold {result.Threshold:0.000}){(decision.Kind == RouteDecisionKind.Rule ? ", shown only: a rule matched" : string.Empty)}:"));
            if (result.Error is { } error)
            {
                Console.WriteLine($"  not compared: {error}{(result.ErrorDetail is null ? string.Empty : $" — {result.ErrorDetail}")}");
            }

            for (var r = 0; r < result.Scores.Count; r++)
            {
                var score = result.Scores[r];
                var mark = r == result.Best ? score.Score >= result.Threshold ? "  <- best, above threshold" : "  <- best, below threshold" : string.Empty;
                var example = semantic.ExampleText(r, score.Example);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score.Route,-20} {score.Score,7:0.000}  -> {score.Model,-28} closest {(score.Example < 0 ? "description" : "example")}: \"{Trim(example, 60)}\"{mark}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"decision: {decision.Kind.ToString().ToLowerInvariant()} -> {decision.Model}");
        Console.WriteLine($"{RouterStage.Header}: {decision.Summary}");
    }

    private static DateTimeOffset At(string? text)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (text is null)
        {
            return now;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out var time)
            ? new DateTimeOffset(now.UtcDateTime.Date + time, TimeSpan.Zero)
            : throw new ArgumentException($"--at takes a UTC time HH:MM; got '{text}'");
    }

    private static string Trim(string text, int width)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= width ? flat : flat[..(width - 1)] + "…";
    }
}
