namespace Gatehouse.Inspection.Pii;

/// <summary>What the PII detector looks for.</summary>
public sealed class PiiOptions
{
    /// <summary>The built-in types to detect (<see cref="PiiTypes"/>); null means all of them.</summary>
    public IReadOnlySet<string>? Types { get; init; }

    /// <summary>Custom dictionary: term → type (e.g. "Project Falcon" → "codename"); matched case- and accent-insensitively on word boundaries.</summary>
    public IReadOnlyDictionary<string, string>? Dictionary { get; init; }

    /// <summary>Confidence given to dictionary matches.</summary>
    public double DictionaryConfidence { get; init; } = 0.9;
}
