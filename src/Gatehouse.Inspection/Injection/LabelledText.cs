namespace Gatehouse.Inspection.Injection;

/// <summary>One labelled example for training or evaluating the injection model.</summary>
/// <param name="Text">The text.</param>
/// <param name="Label">1 for an attack, 0 for benign.</param>
/// <param name="Kind">The dataset category: jailbreak, injection, indirect, benign, benign-doc, benign-hard.</param>
/// <param name="Source">Where the example came from.</param>
public sealed record LabelledText(string Text, int Label, string Kind, string Source = "")
{
    /// <summary>True for kinds that are documents or tool results (scored in <see cref="InjectionMode.Indirect"/> mode).</summary>
    public bool IsDocument => Kind is InjectionKinds.Indirect or InjectionKinds.BenignDocument;
}
