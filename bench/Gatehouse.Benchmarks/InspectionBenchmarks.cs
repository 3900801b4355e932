using BenchmarkDotNet.Attributes;
using Gatehouse.Inspection;
using Gatehouse.Inspection.Injection;
using Gatehouse.Inspection.Pii;
using Gatehouse.Inspection.Secrets;

namespace Gatehouse.Benchmarks;

/// <summary>
/// Detector throughput over the mixed 1,000,000-character corpus of <see cref="InspectionCorpus"/> (one operation =
/// the whole corpus in 4 KB prompts, so MB/s = 1 / mean in seconds), and the added latency of the inspect-in stage
/// with every built-in input guardrail on one benign 4 KB prompt. p99 comes from <see cref="InspectionLatency"/>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class InspectionBenchmarks
{
    private readonly List<Detection> _found = [];
    private IReadOnlyList<string> _chunks = null!;
    private string _prompt = null!;
    private PiiDetector _pii = null!;
    private SecretsDetector _secrets = null!;
    private PromptInjectionDetector _injection = null!;
    private InputGuardrails _guardrails = null!;

    /// <summary>Builds the corpus, the detectors and the guardrail runner; checks that the prompt passes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _chunks = InspectionCorpus.Chunks();
        _prompt = InspectionCorpus.Prompt();
        _pii = new PiiDetector();
        _secrets = new SecretsDetector();
        _injection = new PromptInjectionDetector();
        _guardrails = new InputGuardrails();
        if (_guardrails.InspectAsync(_prompt).AsTask().GetAwaiter().GetResult() is { } refusal)
        {
            throw new InvalidOperationException($"the benchmark prompt must pass every guardrail, got {refusal}");
        }
    }

    /// <summary>Removes the temporary store.</summary>
    [GlobalCleanup]
    public void Cleanup() => _guardrails.Dispose();

    /// <summary>PII detector over the 1 MB corpus.</summary>
    [Benchmark]
    public int InspectionPiiCorpus1MB() => Scan(_pii);

    /// <summary>Secrets detector (111 rules and the generic entropy detector) over the 1 MB corpus.</summary>
    [Benchmark]
    public int InspectionSecretsCorpus1MB() => Scan(_secrets);

    /// <summary>Prompt-injection detector, direct mode, over the 1 MB corpus.</summary>
    [Benchmark]
    public int InspectionInjectionCorpus1MB()
    {
        var attacks = 0;
        foreach (var chunk in _chunks)
        {
            attacks += _injection.Score(chunk, InjectionMode.Direct).IsAttack ? 1 : 0;
        }

        return attacks;
    }

    /// <summary>Inspect-in with pii, secrets, content and prompt_injection guardrails on one benign 4 KB prompt.</summary>
    [Benchmark]
    public async Task<string?> InspectionInputGuardrails4KB() => await _guardrails.InspectAsync(_prompt);

    private int Scan(ITextDetector detector)
    {
        var count = 0;
        foreach (var chunk in _chunks)
        {
            _found.Clear();
            detector.Detect(chunk, _found);
            count += _found.Count;
        }

        return count;
    }
}
