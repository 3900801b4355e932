using Gatehouse.Inspection.Injection;
using Xunit;

namespace Gatehouse.Inspection.Tests.Injection;

/// <summary>
/// The weight sink's stamps: each text's distinct features, in order of first occurrence, whatever the texts before it
/// on the thread left in the table, across the clears after every 255 texts.
/// </summary>
public class WeightSinkTests
{
    [Fact]
    public void Each_text_gets_its_own_distinct_features_across_many_texts()
    {
        var model = InjectionModel.Embedded!.Direct;
        var random = new Random(20261127);
        for (var n = 0; n < 1_000; n++)
        {
            // Texts that share many indices with the ones before them, and texts with none.
            var range = random.Next(3) switch { 0 => 64, 1 => 4_096, _ => 1 << model.Bits };
            var indices = Enumerable.Range(0, random.Next(0, 2_000)).Select(_ => random.Next(range)).ToArray();
            var sink = WeightSink.For(model);
            var third = indices.Length / 3;
            sink.AddTriples(indices.AsSpan(0, third), indices.AsSpan(third, third), indices.AsSpan(2 * third, third));
            foreach (var index in indices.AsSpan(3 * third))
            {
                sink.Add(index);
            }

            var ordered = new List<int>();
            for (var i = 0; i < third; i++)
            {
                ordered.AddRange([indices[i], indices[third + i], indices[(2 * third) + i]]);
            }

            ordered.AddRange(indices.AsSpan(3 * third));
            var distinct = ordered.Distinct().ToList();
            Assert.Equal(distinct.Count, sink.Unique);
            Assert.Equal(InjectionFastPathTests.ScalarProbability(model, distinct), sink.Probability(model.Bias));

            // The same indices again as pairs: still every one new to this text.
            var again = WeightSink.For(model);
            var pairs = ordered.Count / 2;
            again.AddPairs(ordered.Where((_, i) => i % 2 == 0).Take(pairs).ToArray(), ordered.Where((_, i) => i % 2 == 1).Take(pairs).ToArray());
            foreach (var index in ordered.Skip(2 * pairs))
            {
                again.Add(index);
            }

            Assert.Equal(distinct.Count, again.Unique);
            Assert.Equal(InjectionFastPathTests.ScalarProbability(model, distinct), again.Probability(model.Bias));
        }
    }

    [Fact]
    public void Two_sums_run_together_as_each_alone()
    {
        var model = InjectionModel.Embedded!.Direct;
        var random = new Random(20261129);
        for (var n = 0; n < 2_000; n++)
        {
            // Counts of distinct features below, at and around the eight-term blocks, equal and unequal, none at all.
            var first = Indices(random, random.Next(4) == 0 ? random.Next(0, 20) : random.Next(0, 2_000), 1 << model.Bits);
            var second = Indices(random, random.Next(4) == 0 ? random.Next(0, 20) : random.Next(0, 2_000), 1 << model.Bits);
            var a = WeightSink.For(model);
            a.AddPairs(first, first);
            var b = WeightSink.For(model, second: true);
            b.AddPairs(second, second);
            Assert.Equal((a.Probability(model.Bias), b.Probability(model.Bias)), WeightSink.Probabilities(a, b, model.Bias));
            Assert.Equal(InjectionFastPathTests.ScalarProbability(model, [.. first.Distinct()]), a.Probability(model.Bias));
            Assert.Equal(InjectionFastPathTests.ScalarProbability(model, [.. second.Distinct()]), b.Probability(model.Bias));
        }
    }

    private static int[] Indices(Random random, int count, int range) => [.. Enumerable.Range(0, count).Select(_ => random.Next(range))];
}
