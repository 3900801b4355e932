namespace Gatehouse.Inspection;

/// <summary>A detector that finds spans in text; detectors are immutable and safe to share across threads.</summary>
public interface ITextDetector
{
    /// <summary>The detector's name, one of <see cref="DetectorNames"/>.</summary>
    string Name { get; }

    /// <summary>Appends every finding in <paramref name="text"/> to <paramref name="results"/>, offsets relative to <paramref name="text"/>.</summary>
    void Detect(ReadOnlySpan<char> text, List<Detection> results);
}
