namespace Gatehouse.Server.Governance;

/// <summary>What policies may ask about a call besides who and which model.</summary>
/// <param name="HasTools">Whether the request offers tools.</param>
/// <param name="HasImages">Whether the request carries images.</param>
/// <param name="Stream">Whether the answer is streamed.</param>
public readonly record struct CallFacts(bool HasTools, bool HasImages, bool Stream);
