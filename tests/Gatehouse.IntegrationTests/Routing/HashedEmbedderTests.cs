using Gatehouse.Server.Routing;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>The built-in hashed n-gram embedder: deterministic across processes, unit length, normalised text.</summary>
public sealed class HashedEmbedderTests
{
    [Fact]
    public void Vectors_are_unit_length_and_the_same_in_every_process()
    {
        var vector = Embed("Hello, world!");
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);

        // A fixed hash (FNV-1a over UTF-8), not the runtime's per-process randomised string hash: these indices were
        // recorded once and must never change, or cached decisions and documented accuracies would silently drift.
        var top = vector.Select((v, i) => (Weight: Math.Abs(v), Index: i)).OrderByDescending(p => p.Weight).ThenBy(p => p.Index).Take(2).Select(p => p.Index).Order().ToArray();
        Assert.Equal(Golden, top);
    }

    [Fact]
    public void Case_punctuation_and_the_value_of_numbers_do_not_matter()
    {
        Assert.Equal(Embed("Solve 3x + 7 = 22"), Embed("solve 5x + 9 = 41!"));
        Assert.NotEqual(Embed("Solve 3x + 7 = 22"), Embed("Solve 3x - 7 = 22"));
        Assert.All(Embed("  ... ?! "), v => Assert.Equal(0f, v));
    }

    private static readonly int[] Golden = [258, 2050];

    private static float[] Embed(string text)
    {
        var vector = new float[HashedNgramEmbedder.Dimensions];
        HashedNgramEmbedder.Embed(text, vector);
        return vector;
    }
}
