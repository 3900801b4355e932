using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Inspection;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Gatehouse.Storage.Sqlite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Benchmarks;

/// <summary>
/// The gateway's inspect-in stage with every built-in in-process input detector configured (pii, secrets, content,
/// prompt_injection), as <see cref="GuardrailRunner.InspectInputAsync"/> runs it for a request.
/// </summary>
public sealed class InputGuardrails : IDisposable
{
    /// <summary>
    /// The configuration: every in-process detector that applies to input, in the order a deployment would list them,
    /// each with its default action (the benchmark prompt must pass them all; until the long-prompt fix of 2026-11-26
    /// the injection guardrail had to flag instead, as the direct model scored this prompt 0.48 against 0.42).
    /// </summary>
    public const string Config = """
        providers:
          - { name: mock, kind: mock }
        guardrails:
          - { name: pii, detector: pii, action: redact }
          - { name: secrets, detector: secrets, action: block }
          - name: content
            detector: content
            action: block
            banned: [bioweapon, nerve agent, credit card dump, ransomware builder, child abuse, carding forum, swatting, doxxing kit]
            patterns: ['\bhow to (?:make|build) (?:a )?(?:bomb|pipe bomb)\b', '\bkill (?:yourself|urself)\b']
          - { name: injection, detector: prompt_injection, action: block }
        """;

    private readonly HandlerCache _handlers = new(TimeProvider.System);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-bench-" + Guid.NewGuid().ToString("n"));
    private readonly GatewaySnapshot _snapshot;
    private readonly GuardrailRunner _runner;

    /// <summary>Compiles the configuration and the runner (audit to a throwaway SQLite store).</summary>
    public InputGuardrails()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "guardrails.yaml");
        File.WriteAllText(file, Config);
        _snapshot = new SnapshotCompiler(_handlers).Compile(new ConfigLoader().LoadFile(file));
        var database = new SqliteDatabase("sqlite://" + Path.Combine(_directory, "audit.db"));
        var audit = new AuditWriter(new SqliteAuditStore(database), TimeProvider.System, NullLogger<AuditWriter>.Instance);
        _runner = new GuardrailRunner(TimeProvider.System, new GatewayMetrics(), new GuardrailAudit(audit), NullLogger<GuardrailRunner>.Instance);
    }

    /// <summary>Runs inspect-in on a one-message request; returns the refusal's code, or null when the request may go on.</summary>
    public async ValueTask<string?> InspectAsync(string prompt)
    {
        var exchange = new Exchange(new DefaultHttpContext(), "/v1/chat/completions", Dialect.OpenAiChat, _snapshot, 0, DateTimeOffset.UnixEpoch);
        var request = new ChatRequest { Model = "mock/gatehouse-mock-1", Messages = [new ChatMessage(Role.User, [new TextPart(prompt)])] };
        var refusal = await _runner.InspectInputAsync(exchange, request);
        return refusal is null ? (request.Modified ? "modified" : null) : $"{refusal.Code}: {refusal.Message}";
    }

    /// <summary>The configured guardrails' names, in the order they run.</summary>
    public IEnumerable<string> Names => _snapshot.Guardrails.All.Select(g => g.Name);

    /// <summary>Runs guardrail <paramref name="index"/>'s check alone on <paramref name="prompt"/> as user text (no runner, no bookkeeping).</summary>
    public ValueTask<Verdict> CheckAsync(int index, string prompt)
    {
        var exchange = new Exchange(new DefaultHttpContext(), "/v1/chat/completions", Dialect.OpenAiChat, _snapshot, 0, DateTimeOffset.UnixEpoch);
        return _snapshot.Guardrails.All[index].Detector.CheckAsync(new GuardrailSubject(exchange, GuardrailStage.Input, prompt, InjectionMode.Direct), CancellationToken.None);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _handlers.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
