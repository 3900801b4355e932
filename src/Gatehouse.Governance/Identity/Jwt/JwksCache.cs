using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Governance.Identity.Jwt;

/// <summary>
/// The signing keys of one issuer, fetched from its JWKS (found through discovery when configured), kept for the
/// refresh interval and fetched again early, at most once per <see cref="JwtIssuerOptions.UnknownKeyRefreshInterval"/>,
/// when a token names a key id not in the set (key rotation). Only RSA and EC signature keys are kept.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no OS handle unless AvailableWaitHandle is used, which it is not; the cache lives as long as its config snapshot.")]
internal sealed class JwksCache
{
    private const int MaxDocumentBytes = 1 << 20;

    private readonly JwtIssuerOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JwksKeySnapshot? _snapshot;
    private Uri? _jwksUri;
    private DateTimeOffset _lastUnknownKeyRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;

    public JwksCache(JwtIssuerOptions options, HttpClient http, TimeProvider time)
    {
        _options = options;
        _http = http;
        _time = time;
        _jwksUri = options.JwksUri;
    }

    /// <summary>How many times the JWKS has been fetched, for tests and diagnostics.</summary>
    public int Fetches { get; private set; }

    /// <summary>Why the last fetch failed, when it did; never contains key material.</summary>
    public string? LastError { get; private set; }

    /// <summary>The keys a token with <paramref name="keyId"/> may be signed with (all keys when it has none); empty when none match; null when no keys could be fetched.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>?> FindAsync(string? keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || _time.GetUtcNow() - snapshot.FetchedAt >= _options.JwksRefreshInterval)
        {
            snapshot = await RefreshAsync(snapshot, unknownKey: false, cancellationToken);
        }

        if (snapshot is null)
        {
            return null;
        }

        var keys = snapshot.Find(keyId);
        if (keys.Count > 0 || keyId is null)
        {
            return keys;
        }

        snapshot = await RefreshAsync(snapshot, unknownKey: true, cancellationToken);
        return snapshot?.Find(keyId) ?? [];
    }

    private async ValueTask<JwksKeySnapshot?> RefreshAsync(JwksKeySnapshot? seen, bool unknownKey, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_snapshot, seen))
            {
                return _snapshot; // another caller refreshed while this one waited
            }

            var now = _time.GetUtcNow();
            if (unknownKey)
            {
                if (now - _lastUnknownKeyRefresh < _options.UnknownKeyRefreshInterval)
                {
                    return _snapshot;
                }

                _lastUnknownKeyRefresh = now;
            }
            else if (now - _lastFailure < (_snapshot is null ? TimeSpan.FromSeconds(1) : _options.UnknownKeyRefreshInterval))
            {
                return _snapshot; // back off after a failed fetch instead of asking on every request
            }

            var keys = await FetchAsync(cancellationToken);
            if (keys is not null)
            {
                _snapshot = new JwksKeySnapshot(keys, now);
            }
            else
            {
                _lastFailure = now;
            }

            return _snapshot; // on failure the previous keys keep serving
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<SecurityKey>?> FetchAsync(CancellationToken cancellationToken)
    {
        Fetches++;
        try
        {
            if (_jwksUri is null && _options.DiscoveryUri is { } discovery)
            {
                using var document = JsonDocument.Parse(await GetAsync(discovery, cancellationToken));
                var root = document.RootElement;
                if (!root.TryGetProperty("issuer", out var issuer) || issuer.GetString() != _options.Issuer)
                {
                    LastError = $"the discovery document at {discovery} names another issuer than {_options.Issuer}";
                    return null;
                }

                if (!root.TryGetProperty("jwks_uri", out var jwks) || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri))
                {
                    LastError = $"the discovery document at {discovery} has no valid jwks_uri";
                    return null;
                }

                _jwksUri = jwksUri;
            }

            var set = new JsonWebKeySet(await GetAsync(_jwksUri!, cancellationToken));
            var keys = new List<SecurityKey>(set.Keys.Count);
            foreach (var key in set.Keys)
            {
                if (key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Use is null or "sig")
                {
                    keys.Add(key);
                }
            }

            LastError = null;
            return keys;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or ArgumentException or InvalidDataException
            or (TaskCanceledException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            LastError = $"cannot fetch the keys of {_options.Issuer}: {ex.GetType().Name}: {ex.Message}";
            return null;
        }
    }

    private async Task<string> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new InvalidDataException($"{uri} answered more than {MaxDocumentBytes} bytes");
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length <= MaxDocumentBytes ? text : throw new InvalidDataException($"{uri} answered more than {MaxDocumentBytes} bytes");
    }
}
