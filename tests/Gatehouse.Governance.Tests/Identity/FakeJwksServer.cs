using System.Net;
using System.Text;

namespace Gatehouse.Governance.Tests.Identity;

/// <summary>An HttpMessageHandler serving a discovery document and a JWKS that tests can change, counting requests.</summary>
internal sealed class FakeJwksServer : HttpMessageHandler
{
    public const string Authority = "https://login.test";
    public static readonly Uri JwksUri = new($"{Authority}/keys");
    public static readonly Uri DiscoveryUri = new($"{Authority}/.well-known/openid-configuration");

    private int _jwksRequests;

    public string Jwks { get; set; } = """{"keys":[]}""";

    public string DiscoveryIssuer { get; set; } = Authority;

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        string? body = null;
        if (path == JwksUri.AbsolutePath)
        {
            Interlocked.Increment(ref _jwksRequests);
            body = Jwks;
        }
        else if (path == DiscoveryUri.AbsolutePath)
        {
            body = $$"""{"issuer":"{{DiscoveryIssuer}}","jwks_uri":"{{JwksUri}}"}""";
        }

        var response = body is null || Status != HttpStatusCode.OK
            ? new HttpResponseMessage(body is null ? HttpStatusCode.NotFound : Status)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return Task.FromResult(response);
    }
}
