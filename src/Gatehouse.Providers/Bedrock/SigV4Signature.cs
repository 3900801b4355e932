namespace Gatehouse.Providers.Bedrock;

/// <summary>
/// Every intermediate of one SigV4 signature, for tests and diagnostics. Internal because the canonical request
/// carries the session token; never log it.
/// </summary>
internal sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);
