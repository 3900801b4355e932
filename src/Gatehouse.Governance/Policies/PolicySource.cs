namespace Gatehouse.Governance.Policies;

/// <summary>The YAML text of one policy document and the name its errors are reported under (a path, or <c>admin-api:policy-id</c>).</summary>
/// <param name="Name">The file path or other name shown in error messages.</param>
/// <param name="Text">The YAML text.</param>
public sealed record PolicySource(string Name, string Text);
