using System.Text;
using Gatehouse.Inspection.Evaluation;

namespace Gatehouse.Inspection.Eval;

/// <summary>Builds a text piece by piece and records where each labelled value or decoy landed.</summary>
internal sealed class LabelledTextBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<SpanLabel> _spans = [];

    /// <summary>True when a value (not a decoy) was added.</summary>
    public bool HasValues { get; private set; }

    /// <summary>True when a decoy was added.</summary>
    public bool HasDecoys { get; private set; }

    /// <summary>Appends plain, unlabelled text.</summary>
    public LabelledTextBuilder Text(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <summary>Appends a value the detector must find.</summary>
    public LabelledTextBuilder Value(string value, string type, string? rule = null)
    {
        _spans.Add(new SpanLabel(_text.Length, value.Length, type, rule));
        _text.Append(value);
        HasValues = true;
        return this;
    }

    /// <summary>Appends a look-alike the detector must not report.</summary>
    public LabelledTextBuilder Decoy(string value, string kind)
    {
        _spans.Add(new SpanLabel(_text.Length, value.Length, null, Decoy: kind));
        _text.Append(value);
        HasDecoys = true;
        return this;
    }

    /// <summary>The example: category <c>positive</c>, <c>negative</c> or <c>mixed</c> from what was added.</summary>
    public SpanExample Build(string detector, string source)
    {
        var category = HasValues ? (HasDecoys ? "mixed" : "positive") : "negative";
        return new SpanExample(_text.ToString(), detector, category, [.. _spans], source);
    }
}
