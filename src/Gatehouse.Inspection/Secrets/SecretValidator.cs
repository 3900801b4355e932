namespace Gatehouse.Inspection.Secrets;

/// <summary>Decides whether a match of a <see cref="SecretRule"/> at <paramref name="start"/> in <paramref name="text"/> is a credential.</summary>
/// <param name="text">The whole scanned text.</param>
/// <param name="start">Offset of the match.</param>
/// <param name="length">Length of the match.</param>
/// <returns>True to report the match.</returns>
public delegate bool SecretValidator(ReadOnlySpan<char> text, int start, int length);
