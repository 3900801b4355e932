using System.Diagnostics;
using System.Globalization;
using Gatehouse.Inspection;

namespace Gatehouse.Benchmarks;

/// <summary>Times one detector over a list of texts: best of a number of passes after a 2 s warm-up, one thread.</summary>
public static class DetectorTiming
{
    /// <summary>Measures <paramref name="detector"/> on <paramref name="texts"/> and prints one line labelled <paramref name="name"/>.</summary>
    public static void Measure(string name, IReadOnlyList<string> texts, ITextDetector detector, int passes)
    {
        var found = new List<Detection>();
        var chars = texts.Sum(c => c.Length);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2)
        {
            Scan(texts, detector, found);
        }

        var best = double.MaxValue;
        for (var pass = 0; pass < passes; pass++)
        {
            var watch = Stopwatch.StartNew();
            Scan(texts, detector, found);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{detector.Name} on {name} ({chars} chars): {chars / best / 1e6:0.0} MB/s (best of {passes})"));
    }

    /// <summary>One pass of <paramref name="detector"/> over <paramref name="texts"/>.</summary>
    public static void Scan(IReadOnlyList<string> texts, ITextDetector detector, List<Detection> found)
    {
        foreach (var text in texts)
        {
            found.Clear();
            detector.Detect(text, found);
        }
    }

    /// <summary>Appends every finding of <paramref name="detector"/> on <paramref name="texts"/> to <paramref name="output"/>, one line each.</summary>
    public static void Dump(System.Text.StringBuilder output, string label, IReadOnlyList<string> texts, ITextDetector detector)
    {
        var found = new List<Detection>();
        for (var i = 0; i < texts.Count; i++)
        {
            found.Clear();
            detector.Detect(texts[i], found);
            foreach (var d in found)
            {
                output.Append(CultureInfo.InvariantCulture, $"{label}:{i} {d.Type} {d.Start} {d.Length} {d.Confidence:0.######} {d.RuleId}\n");
            }
        }
    }
}
