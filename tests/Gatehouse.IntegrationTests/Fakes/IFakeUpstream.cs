using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// A fake provider that speaks one provider's documented wire format. The test harness hosts each fake on
/// real Kestrel at 127.0.0.1 and routes every request to <see cref="HandleAsync"/>.
/// Fakes record what they received so tests can assert on the exact upstream request.
/// </summary>
public interface IFakeUpstream
{
    /// <summary>Requests received, in order (method, path and query, headers, body).</summary>
    List<RecordedRequest> Received { get; }

    /// <summary>Answers one request.</summary>
    Task HandleAsync(HttpContext context);
}

/// <summary>One request a fake upstream received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
