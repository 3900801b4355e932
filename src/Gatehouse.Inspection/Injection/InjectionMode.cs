namespace Gatehouse.Inspection.Injection;

/// <summary>Where the scored text comes from; each mode has its own model and threshold.</summary>
public enum InjectionMode
{
    /// <summary>User input: the whole text is scored.</summary>
    Direct,

    /// <summary>Tool/function results and retrieved documents: scored per segment, the maximum counts.</summary>
    Indirect,
}
