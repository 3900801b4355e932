using Gatehouse.Governance.Budgets;
using Gatehouse.Providers.Catalog;

namespace Gatehouse.Server.Governance;

/// <summary>What admit needs to know about a request: who, what model, how big, how expensive at most.</summary>
public sealed class AdmissionRequest
{
    /// <summary>The caller.</summary>
    public required Principal Principal { get; init; }

    /// <summary>The requested model name.</summary>
    public required string Model { get; init; }

    /// <summary>The action, for audit (<c>invoke_model</c>, <c>use_embeddings</c>).</summary>
    public required string Action { get; init; }

    /// <summary>The request id, for audit.</summary>
    public required string RequestId { get; init; }

    /// <summary>Estimated prompt tokens.</summary>
    public long EstimatedPromptTokens { get; init; }

    /// <summary>The output-token limit the client asked for, if any.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>The catalog entries of every target that may serve (the priciest one prices the reservation).</summary>
    public IReadOnlyList<ModelInfo?> Targets { get; init; } = [];

    /// <summary>Output tokens assumed when neither the client nor the catalog gives a limit.</summary>
    public int FallbackMaxOutputTokens { get; init; } = 4_096;

    /// <summary>The reservation to ask the budgets for: the prompt at the highest input price, plus output at the highest output price.</summary>
    public BudgetAsk Ask()
    {
        decimal input = 0, output = 0;
        var maxOutput = 0;
        foreach (var info in Targets)
        {
            if (info is null)
            {
                continue;
            }

            input = Math.Max(input, info.InputPrice);
            output = Math.Max(output, Math.Max(info.OutputPrice, info.ReasoningPrice ?? 0));
            maxOutput = Math.Max(maxOutput, info.MaxOutput);
        }

        long cap = MaxOutputTokens ?? (maxOutput > 0 ? maxOutput : FallbackMaxOutputTokens);

        // Catalog prices are USD per million tokens: one token costs price × 1000 nano-USD.
        return new BudgetAsk(
            FixedNanoUsd: (long)Math.Ceiling(EstimatedPromptTokens * input * 1_000m),
            NanoUsdPerOutputToken: (long)Math.Ceiling(output * 1_000m),
            FixedTokens: EstimatedPromptTokens,
            MaxOutputTokens: cap,
            MinOutputTokens: cap == 0 ? 0 : 1);
    }
}
