namespace Gatehouse.Inspection.Structured;

/// <summary>One way the JSON fails its schema.</summary>
/// <param name="InstancePointer">JSON Pointer to the offending value in the instance (empty for the root).</param>
/// <param name="SchemaPointer">JSON Pointer to the failing keyword in the schema.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SchemaError(string InstancePointer, string SchemaPointer, string Message);
