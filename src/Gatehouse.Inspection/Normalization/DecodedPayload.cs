namespace Gatehouse.Inspection.Normalization;

/// <summary>An encoded run found in text and its decoded UTF-8 text.</summary>
/// <param name="Start">Offset of the encoded run in the scanned text.</param>
/// <param name="Length">Length of the encoded run.</param>
/// <param name="Encoding">How it was encoded.</param>
/// <param name="Text">The decoded text.</param>
public readonly record struct DecodedPayload(int Start, int Length, PayloadEncoding Encoding, string Text);
