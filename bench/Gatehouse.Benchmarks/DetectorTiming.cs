using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Gatehouse.Inspection;

namespace Gatehouse.Benchmarks;

/// <summary>Times one detector over a list of texts: best of a number of passes after a JIT-settled warm-up (at least 2 s), one thread.</summary>
public static class DetectorTiming
{
    /// <summary>Measures <paramref name="detector"/> on <paramref name="texts"/> and prints one line labelled <paramref name="name"/>.</summary>
    public static void Measure(string name, IReadOnlyList<string> texts, ITextDetector detector, int passes)
    {
        var found = new List<Detection>();
        var chars = texts.Sum(c => c.Length);
        // At least 2 s, and until the JIT has compiled nothing for a second: on a busy machine its tier-up of the
        // detector was still running after 2 s, and the first line printed (the mixed corpus) measured tier-0 code.
        var warmUp = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var quietSince = TimeSpan.Zero;
        while (warmUp.Elapsed < CallTimes.MaxWarmUp && (warmUp.Elapsed.TotalSeconds < 2 || warmUp.Elapsed - quietSince < CallTimes.JitQuiet))
        {
            Scan(texts, detector, found);
            if (JitInfo.GetCompiledMethodCount() is var now && now != compiled)
            {
                compiled = now;
                quietSince = warmUp.Elapsed;
            }
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
