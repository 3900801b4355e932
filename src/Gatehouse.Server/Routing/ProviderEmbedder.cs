using Gatehouse.Core;
using Gatehouse.Providers;
using Gatehouse.Server.Pipeline;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Routing;

/// <summary>Embeds through a configured provider's embeddings endpoint (OpenAI-compatible, Azure, Gemini, Bedrock, Ollama, mock).</summary>
public sealed class ProviderEmbedder : IEmbedder
{
    private const int MaxAnswerBytes = 64 * 1024 * 1024;
    private const int MaxBatch = 96;

    private readonly RouteTarget _target;
    private readonly TimeProvider _time;

    /// <summary>Creates an embedder for <paramref name="model"/> of <paramref name="provider"/>.</summary>
    public ProviderEmbedder(ProviderRuntime provider, string model, TimeProvider time)
    {
        _target = new RouteTarget(provider, model, null);
        _time = time;
        Name = $"provider:{provider.Name}/{model}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Whether the provider's adapter has an embeddings API at all.</summary>
    public bool IsSupported
    {
        get
        {
            using var probe = _target.Provider.Adapter.BuildEmbeddingsRequest(new EmbeddingsRequest { Model = _target.Model, Inputs = ["probe"] }, _target.Model);
            return probe is not null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        for (var offset = 0; offset < texts.Count; offset += MaxBatch)
        {
            var batch = new List<string>(Math.Min(MaxBatch, texts.Count - offset));
            for (var i = offset; i < texts.Count && batch.Count < MaxBatch; i++)
            {
                batch.Add(texts[i]);
            }

            var answer = await EmbedBatchAsync(batch, cancellationToken);
            if (answer.Count != batch.Count)
            {
                throw new EmbedderException($"{Name} answered {answer.Count} vectors for {batch.Count} texts.");
            }

            answer.CopyTo(vectors, offset);
        }

        return vectors;
    }

    private async Task<List<float[]>> EmbedBatchAsync(List<string> batch, CancellationToken cancellationToken)
    {
        var adapter = _target.Provider.Adapter;
        using var message = adapter.BuildEmbeddingsRequest(new EmbeddingsRequest { Model = _target.Model, Inputs = batch }, _target.Model)
            ?? throw new EmbedderException($"provider '{_target.Provider.Name}' ({_target.Provider.Options.Kind}) has no embeddings API.");
        var options = _target.Provider.Options;
        using var cancellation = new AttemptCancellation(options.FirstByteTimeout, options.TotalTimeout, _time, cancellationToken);
        var (response, error) = await UpstreamSender.SendAsync(_target, message, cancellation);
        if (response is null)
        {
            throw Failed(error!);
        }

        using (response)
        {
            cancellation.FirstByteReceived();
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(await UpstreamSender.ReadErrorAsync(_target, response, cancellation));
            }

            try
            {
                using var body = await UpstreamBody.ReadAsync(response, MaxAnswerBytes, _target.Provider.Name, cancellation.Token);
                return adapter.DecodeEmbeddingsResponse(body.Memory).Vectors;
            }
            catch (GatewayException ex)
            {
                throw Failed(ex.Error);
            }
            catch (OperationCanceledException) when (!cancellation.ClientGone)
            {
                throw Failed(cancellation.TimeoutError(_target.Provider.Name));
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new EmbedderException($"{Name}: the connection broke while reading the answer.", ex);
            }
        }
    }

    private EmbedderException Failed(GatewayError error) => new($"{Name}: {error.Code ?? error.Kind.ToString()}: {error.Message}");
}
