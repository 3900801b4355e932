using Amazon.Runtime.Internal.Auth;

namespace Gatehouse.Protocol.Tests.Bedrock;

/// <summary>The AWS SDK's own SigV4 canonicalization and signing, which it exposes to subclasses of its signer.</summary>
internal sealed class AwsReferenceSigner : AWS4Signer
{
    /// <summary>The Authorization header the AWS SDK computes for a POST with these headers to the resource path.</summary>
    public static string Authorization(Uri endpoint, string resourcePath, IDictionary<string, string> pathResources, Dictionary<string, string> headers,
        string accessKey, string secret, string region, string service, DateTime signedAt)
    {
        var sorted = SortAndPruneHeaders(headers);
        var canonical = CanonicalizeRequest(endpoint, resourcePath, "POST", sorted, string.Empty, headers["X-Amz-Content-SHA256"], pathResources, true);
        return ComputeSignature(accessKey, secret, region, signedAt, service, CanonicalizeHeaderNames(sorted), canonical).ForAuthorizationHeader;
    }
}
