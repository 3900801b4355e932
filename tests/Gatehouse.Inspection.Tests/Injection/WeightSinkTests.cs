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

            // The same indices again as one range: still every one new to this text.
            var again = WeightSink.For(model);
            again.AddRange(ordered.ToArray());
            Assert.Equal(distinct.Count, again.Unique);
            Assert.Equal(InjectionFastPathTests.ScalarProbability(model, distinct), again.Probability(model.Bias));
        }
    }
}
