namespace Gatehouse.Server.Routing;

/// <summary>Turns texts into vectors for semantic routing; vectors are compared by cosine similarity.</summary>
public interface IEmbedder
{
    /// <summary>The embedder's name as configured (<c>hashed</c>, <c>minilm</c>, <c>provider:NAME/MODEL</c>).</summary>
    string Name { get; }

    /// <summary>Embeds texts, one vector per text in order; throws <see cref="EmbedderException"/> when it cannot.</summary>
    ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
