using System.Diagnostics;
using System.Globalization;

namespace Gatehouse.Inspection.Evaluation;

/// <summary>
/// A negative corpus: ordinary files (source code, lock files, prose) listed in a manifest of <c>bytes&lt;TAB&gt;path</c>
/// lines, in which every finding is a false positive. The files stay where the machine keeps them; the manifest fixes
/// which ones and how large they must be.
/// </summary>
public static class NegativeCorpus
{
    /// <summary>Files are scanned in pieces of at most this many characters, cut at line ends, like prompts of a few pages.</summary>
    public const int ChunkChars = 16_384;

    /// <summary>Reads a manifest; relative paths are relative to the manifest's directory; lines starting with <c>#</c> and blank lines are skipped.</summary>
    public static List<CorpusFile> LoadManifest(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var files = new List<CorpusFile>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0 || !long.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                throw new FormatException($"{path}: expected 'bytes<TAB>path', got '{line}'");
            }

            var file = line[(tab + 1)..];
            files.Add(new CorpusFile(System.IO.Path.IsPathRooted(file) ? file : System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, file)), bytes));
        }

        return files;
    }

    /// <summary>Scans every file of <paramref name="files"/>; files that are missing or have another size are reported and skipped.</summary>
    public static NegativeCorpusReport Scan(ITextDetector detector, IReadOnlyList<CorpusFile> files, double minConfidence = 0.5)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(files);
        var report = new NegativeCorpusReport();
        var found = new List<Detection>();
        var watch = new Stopwatch();
        foreach (var file in files)
        {
            var info = new FileInfo(file.Path);
            if (!info.Exists || info.Length != file.Bytes)
            {
                report.Changed.Add(info.Exists ? $"{file.Path}: {info.Length} bytes, manifest says {file.Bytes}" : $"{file.Path}: missing");
                continue;
            }

            var text = File.ReadAllText(file.Path);
            report.Files++;
            report.Bytes += info.Length;
            report.Characters += text.Length;
            var line = 1;
            var lineCountedTo = 0;
            for (var start = 0; start < text.Length;)
            {
                var end = ChunkEnd(text, start);
                found.Clear();
                watch.Start();
                detector.Detect(text.AsSpan(start, end - start), found);
                watch.Stop();
                foreach (var detection in found)
                {
                    if (detection.Confidence < minConfidence || detection.Length == 0)
                    {
                        continue;
                    }

                    var at = start + detection.Start;
                    line += text.AsSpan(lineCountedTo, at - lineCountedTo).Count('\n');
                    lineCountedTo = at;
                    report.Add(detection, $"{file.Path}:{line}", SpanEvaluation.Slice(text, at, detection.Length));
                }

                start = end;
            }
        }

        report.Seconds = watch.Elapsed.TotalSeconds;
        return report;
    }

    private static int ChunkEnd(string text, int start)
    {
        if (text.Length - start <= ChunkChars)
        {
            return text.Length;
        }

        var newline = text.LastIndexOf('\n', start + ChunkChars - 1, ChunkChars);
        return newline > start ? newline + 1 : start + ChunkChars;
    }
}
