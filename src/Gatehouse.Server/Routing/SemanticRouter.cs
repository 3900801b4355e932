using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Server.Routing;

/// <summary>
/// Chooses a route by meaning: the last <c>window</c> user messages are embedded and compared (cosine) with every
/// route's examples; a route's score is its closest example's. Example vectors are computed once per snapshot (at
/// compile for the hashed embedder, on first use for the others); results are cached per identical text.
/// An embedder that fails gives an error result (the router then uses its default), and is not asked again for
/// <see cref="RetryAfterFailure"/>.
/// </summary>
public sealed class SemanticRouter
{
    /// <summary>How long a failed example embedding is not retried.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly Lazy<IEmbedder> _embedder;
    private readonly bool _hashed;
    private readonly string[] _routes;
    private readonly string[] _models;
    private readonly string[] _texts;
    private readonly int[] _exampleRoute;
    private readonly int[] _exampleIndex;
    private readonly int _window;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SemanticCache? _cache;
    private readonly Lock _gate = new();
    private float[][]? _vectors;
    private Task<float[][]>? _loading;
    private long _failedAt;

    /// <summary>Creates the router over compiled routes.</summary>
    public SemanticRouter(IReadOnlyList<SemanticRouteSpec> routes, Lazy<IEmbedder> embedder, string embedderName, double threshold, int window, int cacheSize, TimeSpan timeout, TimeProvider time)
    {
        _embedder = embedder;
        EmbedderName = embedderName;
        _hashed = embedderName == "hashed";
        Threshold = threshold;
        _window = window;
        _timeout = timeout;
        _time = time;
        _cache = cacheSize > 0 ? new SemanticCache(cacheSize) : null;
        _routes = [.. routes.Select(r => r.Name)];
        _models = [.. routes.Select(r => r.Model)];
        var texts = new List<string>();
        var owner = new List<int>();
        var index = new List<int>();
        for (var r = 0; r < routes.Count; r++)
        {
            for (var e = 0; e < routes[r].Examples.Count; e++)
            {
                texts.Add(routes[r].Examples[e]);
                owner.Add(r);
                index.Add(e);
            }

            if (!string.IsNullOrWhiteSpace(routes[r].Description))
            {
                texts.Add(routes[r].Description!);
                owner.Add(r);
                index.Add(-1);
            }
        }

        _texts = [.. texts];
        _exampleRoute = [.. owner];
        _exampleIndex = [.. index];
        if (_hashed)
        {
            _vectors = new float[_texts.Length][];
            for (var i = 0; i < _texts.Length; i++)
            {
                _vectors[i] = new float[HashedNgramEmbedder.Dimensions];
                HashedNgramEmbedder.Embed(_texts[i], _vectors[i]);
            }
        }
    }

    /// <summary>The embedder's configured name.</summary>
    public string EmbedderName { get; }

    /// <summary>The lowest score at which the best route wins.</summary>
    public double Threshold { get; }

    /// <summary>The text of example <paramref name="example"/> of route <paramref name="route"/> (-1: its description), for explanations.</summary>
    public string ExampleText(int route, int example)
    {
        for (var i = 0; i < _texts.Length; i++)
        {
            if (_exampleRoute[i] == route && _exampleIndex[i] == example)
            {
                return _texts[i];
            }
        }

        return string.Empty;
    }

    /// <summary>Compares the request's recent user text with the routes; the flag tells whether the result was cached.</summary>
    public ValueTask<(SemanticResult Result, bool CacheHit)> ChooseAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<char>.Shared.Rent(1024);
        try
        {
            var length = WindowText(request, _window, ref buffer);
            var text = buffer.AsSpan(0, length);
            if (text.IsWhiteSpace())
            {
                return ValueTask.FromResult((new SemanticResult { Threshold = Threshold, Error = "no_text" }, false));
            }

            var key = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text));
            if (_cache is not null && _cache.TryGet(key, out var cached))
            {
                return ValueTask.FromResult((cached, true));
            }

            if (_hashed)
            {
                var query = ArrayPool<float>.Shared.Rent(HashedNgramEmbedder.Dimensions);
                try
                {
                    HashedNgramEmbedder.Embed(text, query);
                    var result = Score(query.AsSpan(0, HashedNgramEmbedder.Dimensions), _vectors!);
                    _cache?.Add(key, result);
                    return ValueTask.FromResult((result, false));
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(query);
                }
            }

            return EmbedAndScoreAsync(key, text.ToString(), cancellationToken);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private async ValueTask<(SemanticResult, bool)> EmbedAndScoreAsync(UInt128 key, string text, CancellationToken cancellationToken)
    {
        var (vectors, error) = await ExamplesAsync();
        if (vectors is null)
        {
            return (error!, false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        float[] query;
        try
        {
            query = (await _embedder.Value.EmbedAsync([text], timeout.Token))[0];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Failure($"{EmbedderName} took longer than {_timeout.TotalMilliseconds:0} ms (semantic.timeout)"), false);
        }
        catch (EmbedderException ex)
        {
            return (Failure(ex.Message), false);
        }

        VectorMath.Normalize(query);
        var result = Score(query, vectors);
        _cache?.Add(key, result);
        return (result, false);
    }

    private async ValueTask<(float[][]? Vectors, SemanticResult? Error)> ExamplesAsync()
    {
        if (_vectors is { } ready)
        {
            return (ready, null);
        }

        Task<float[][]> loading;
        lock (_gate)
        {
            if (_vectors is { } loaded)
            {
                return (loaded, null);
            }

            if (_loading is null)
            {
                if (_failedAt != 0 && _time.GetElapsedTime(_failedAt) < RetryAfterFailure)
                {
                    return (null, new SemanticResult { Threshold = Threshold, Error = "embedder_unavailable" });
                }

                _loading = Task.Run(LoadExamplesAsync);
            }

            loading = _loading;
        }

        try
        {
            var vectors = await loading;
            _vectors = vectors;
            return (vectors, null);
        }
        catch (EmbedderException ex)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_loading, loading))
                {
                    _loading = null;
                    _failedAt = _time.GetTimestamp();
                }
            }

            return (null, Failure($"embedding the route examples: {ex.Message}"));
        }
    }

    private async Task<float[][]> LoadExamplesAsync()
    {
        IEmbedder embedder;
        try
        {
            embedder = _embedder.Value;
        }
        catch (Exception ex) when (ex is InvalidOperationException or DllNotFoundException or BadImageFormatException or TypeInitializationException or IOException)
        {
            throw new EmbedderException($"{EmbedderName} could not be loaded: {ex.Message}", ex);
        }

        var vectors = await embedder.EmbedAsync(_texts, CancellationToken.None);
        if (vectors.Length != _texts.Length)
        {
            throw new EmbedderException($"{EmbedderName} answered {vectors.Length} vectors for {_texts.Length} examples.");
        }

        foreach (var vector in vectors)
        {
            VectorMath.Normalize(vector);
        }

        return vectors;
    }

    private SemanticResult Failure(string detail) => new() { Threshold = Threshold, Error = "embedder_unavailable", ErrorDetail = detail };

    private SemanticResult Score(ReadOnlySpan<float> query, float[][] vectors)
    {
        var scores = new RouteScore[_routes.Length];
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] = new RouteScore(_routes[r], _models[r], float.NegativeInfinity, -1);
        }

        for (var i = 0; i < vectors.Length; i++)
        {
            var score = VectorMath.Dot(query, vectors[i]);
            var r = _exampleRoute[i];
            if (score > scores[r].Score)
            {
                scores[r] = scores[r] with { Score = score, Example = _exampleIndex[i] };
            }
        }

        var best = 0;
        for (var r = 1; r < scores.Length; r++)
        {
            if (scores[r].Score > scores[best].Score)
            {
                best = r;
            }
        }

        return new SemanticResult { Scores = scores, Best = best, Threshold = Threshold };
    }

    /// <summary>Writes the text of the last <paramref name="window"/> user messages into <paramref name="buffer"/> (grown from the pool as needed), at most <see cref="HashedNgramEmbedder.MaxChars"/> characters.</summary>
    private static int WindowText(ChatRequest request, int window, ref char[] buffer)
    {
        var first = request.Messages.Count;
        for (var seen = 0; first > 0 && seen < window;)
        {
            if (request.Messages[--first].Role == Role.User)
            {
                seen++;
            }
        }

        var length = 0;
        for (var m = first; m < request.Messages.Count; m++)
        {
            var message = request.Messages[m];
            if (message.Role != Role.User)
            {
                continue;
            }

            foreach (var part in message.Parts)
            {
                if (part is not TextPart { Text: { Length: > 0 } text } || length >= HashedNgramEmbedder.MaxChars)
                {
                    continue;
                }

                var take = Math.Min(text.Length, HashedNgramEmbedder.MaxChars - length);
                if (length + take + 1 > buffer.Length)
                {
                    var grown = ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, length + take + 1));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = grown;
                }

                if (length > 0)
                {
                    buffer[length++] = '\n';
                }

                text.AsSpan(0, take).CopyTo(buffer.AsSpan(length));
                length += take;
            }
        }

        return length;
    }
}
