using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core;

namespace Gatehouse.Providers.Bedrock;

/// <summary>
/// Signs HTTP requests with AWS Signature Version 4 (header form, signed payload) for one service, region and set
/// of credentials, at the time its <see cref="TimeProvider"/> gives. Thread-safe; the derived signing key is cached
/// per UTC day. The secret never leaves this type: it is not in any exception, property or string it produces.
/// </summary>
public sealed class SigV4Signer
{
    /// <summary>The algorithm name that starts the string to sign and the Authorization header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const string Terminator = "aws4_request";
    private const string HexUpper = "0123456789ABCDEF";

    private readonly byte[] _secretKey;
    private readonly string? _sessionToken;
    private readonly bool _headerSafe;
    private readonly TimeProvider _time;
    private SigningKey? _signingKey;

    /// <summary>Creates a signer; <paramref name="sessionToken"/> is for temporary (STS) credentials.</summary>
    public SigV4Signer(string service, string region, string accessKeyId, string secretAccessKey, string? sessionToken, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrEmpty(secretAccessKey))
        {
            throw new ArgumentException("The secret access key is missing.", nameof(secretAccessKey));
        }

        Service = service;
        Region = region;
        AccessKeyId = accessKeyId;
        _secretKey = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        _sessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        _time = time;
        _headerSafe = HeaderText.IsSafe(accessKeyId) && (_sessionToken is null || HeaderText.IsSafe(_sessionToken));
    }

    /// <summary>The signing name of the service (for example <c>bedrock</c>).</summary>
    public string Service { get; }

    /// <summary>The region the requests are signed for.</summary>
    public string Region { get; }

    /// <summary>The access key id (not secret) named in the credential scope.</summary>
    public string AccessKeyId { get; }

    /// <summary>
    /// Signs <paramref name="request"/>, whose body is <paramref name="payload"/>: sets <c>Host</c>, <c>x-amz-date</c>,
    /// <c>x-amz-content-sha256</c>, <c>x-amz-security-token</c> (with temporary credentials) and <c>Authorization</c>,
    /// replacing any earlier signature. The host, content type, date, payload hash and token are signed.
    /// </summary>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_headerSafe)
        {
            // The access key id goes into Authorization and the session token into a header of its own, both as text.
            throw new GatewayException(new GatewayError(
                ErrorKind.Internal,
                "The AWS access key id or session token of a Bedrock provider contains a line break or another control character, so the request was not sent. Fix it in the configuration or the environment.",
                "invalid_provider_header"));
        }

        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException("A request to sign needs an absolute URI.", nameof(request));
        var signedAt = _time.GetUtcNow();
        var amzDate = AmzDate(signedAt);
        var host = HostHeader(uri);
        var payloadHash = HashHex(payload);
        var headers = request.Headers;
        foreach (var name in (ReadOnlySpan<string>)["Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"])
        {
            headers.Remove(name);
        }

        headers.Host = host;
        headers.TryAddWithoutValidation("x-amz-date", amzDate);
        headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        var signed = new List<KeyValuePair<string, string>>(5)
        {
            new("host", host),
            new("x-amz-content-sha256", payloadHash),
            new("x-amz-date", amzDate),
        };
        if (_sessionToken is not null)
        {
            headers.TryAddWithoutValidation("x-amz-security-token", _sessionToken);
            signed.Add(new("x-amz-security-token", _sessionToken));
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signed.Add(new("content-type", contentType.ToString()));
        }

        var signature = Compute(request.Method.Method, uri.AbsolutePath, uri.Query, signed, payloadHash, signedAt);
        headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    /// <summary>
    /// The Authorization header value for a request given by its parts: <paramref name="path"/> and
    /// <paramref name="query"/> as the request target carries them (already percent-encoded), the headers to sign
    /// (names in any case), the hex SHA-256 of the body and the signing time. A verifier recomputes it this way.
    /// </summary>
    public string Authorization(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, DateTimeOffset signedAt) =>
        Compute(method, path, query, headers, payloadHash, signedAt).Authorization;

    /// <summary>The <c>x-amz-date</c> form of a time: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string AmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The lowercase hex SHA-256 of a payload, as <c>x-amz-content-sha256</c> carries it.</summary>
    public static string HashHex(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>
    /// The canonical URI: each segment of <paramref name="path"/> URI-encoded once more. Given the path as sent on the
    /// wire (already encoded once), this is the double encoding AWS requires of every service but S3, so
    /// <c>%3A</c> in a model id becomes <c>%253A</c>.
    /// </summary>
    public static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var builder = new StringBuilder(path.Length + 16);
        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                UriEncode(builder, path.AsSpan(segmentStart, i - segmentStart));
                if (i < path.Length)
                {
                    builder.Append('/');
                }

                segmentStart = i + 1;
            }
        }

        return builder.ToString();
    }

    /// <summary>The canonical query: each name and value decoded, strictly re-encoded, then sorted by name and value.</summary>
    public static string CanonicalQuery(string query)
    {
        var raw = query.StartsWith('?') ? query[1..] : query;
        if (raw.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(name)), UriEncode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        var builder = new StringBuilder(raw.Length + 16);
        foreach (var (name, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(name).Append('=').Append(value);
        }

        return builder.ToString();
    }

    /// <summary>Computes every intermediate of a signature. Internal: the canonical request can contain the session token.</summary>
    internal SigV4Signature Compute(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, DateTimeOffset signedAt)
    {
        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(headers);
        var canonicalRequest = string.Join('\n', method, CanonicalUri(path), CanonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash);
        var date = signedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{Region}/{Service}/{Terminator}";
        var stringToSign = $"{Algorithm}\n{AmzDate(signedAt)}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(KeyFor(date), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    private byte[] KeyFor(string date)
    {
        var cached = Volatile.Read(ref _signingKey);
        if (cached is not null && string.Equals(cached.Date, date, StringComparison.Ordinal))
        {
            return cached.Key;
        }

        var key = HMACSHA256.HashData(_secretKey, Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
        Volatile.Write(ref _signingKey, new SigningKey(date, key));
        return key;
    }

    private static (string Canonical, string Signed) CanonicalHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.ToLowerInvariant();
            var canonical = CollapseSpaces(value);
            sorted[key] = sorted.TryGetValue(key, out var earlier) ? earlier + "," + canonical : canonical;
        }

        var canonicalHeaders = new StringBuilder();
        var signedHeaders = new StringBuilder();
        foreach (var (name, value) in sorted)
        {
            canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
            if (signedHeaders.Length > 0)
            {
                signedHeaders.Append(';');
            }

            signedHeaders.Append(name);
        }

        return (canonicalHeaders.ToString(), signedHeaders.ToString());
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        var lastWasSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ' && lastWasSpace)
            {
                continue;
            }

            builder.Append(c);
            lastWasSpace = c == ' ';
        }

        return builder.ToString();
    }

    private static string UriEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        UriEncode(builder, text);
        return builder.ToString();
    }

    private static void UriEncode(StringBuilder builder, ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
                }
            }
        }
    }

    private static string HostHeader(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private sealed record SigningKey(string Date, byte[] Key);
}
