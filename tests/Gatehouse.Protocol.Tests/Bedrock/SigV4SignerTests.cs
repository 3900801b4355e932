using System.Net.Http.Headers;
using System.Text;
using Amazon.Util;
using Gatehouse.Providers.Bedrock;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.Protocol.Tests.Bedrock;

public sealed class SigV4SignerTests
{
    // The AWS Signature Version 4 test suite's credentials, time, region and service.
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private const string ModelId = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLE+token/with=chars";

    [Fact]
    public void Get_vanilla_matches_the_suite_step_by_step()
    {
        var signature = SuiteSigner().Compute("GET", "/", string.Empty, SuiteHeaders(), EmptySha256, SuiteTime);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptySha256,
            signature.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature.StringToSign);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signature.Authorization);
    }

    public static TheoryData<string, string, string, string, string[], string, string> SuiteVectors => new()
    {
        // name, method, path, query, extra headers (name:value), body, expected signature
        { "get-vanilla-query-order-key-case", "GET", "/", "?Param2=value2&Param1=value1", [], "", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-unreserved", "GET", "/", "?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [], "", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-vanilla-utf8-query", "GET", "/", "?%E1%88%B4=bar", [], "", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", [], "", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-utf8", "GET", "/ሴ", "", [], "", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
        { "get-header-value-trim", "GET", "/", "", ["my-header1:value1", "my-header2:\"a   b   c\""], "", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "get-header-value-order", "GET", "/", "", ["my-header1:value4,value1,value3,value2"], "", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
        { "post-vanilla", "POST", "/", "", [], "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-vanilla-query", "POST", "/", "?Param1=value1", [], "", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
        { "post-vanilla-query-nonunreserved", "POST", "/", "?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", [], "", "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e" },
        { "post-header-key-sort", "POST", "/", "", ["my-header1:value1"], "", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "post-header-value-case", "POST", "/", "", ["My-Header1:VALUE1"], "", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
        { "post-sts-header-before", "POST", "/", "", ["x-amz-security-token:AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="], "", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead" },
        { "post-x-www-form-urlencoded", "POST", "/", "", ["content-type:application/x-www-form-urlencoded"], "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
        { "post-x-www-form-urlencoded-parameters", "POST", "/", "", ["content-type:application/x-www-form-urlencoded; charset=utf8"], "Param1=value1", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe" },
    };

    [Theory]
    [MemberData(nameof(SuiteVectors))]
    public void Matches_the_aws_test_suite(string name, string method, string path, string query, string[] extraHeaders, string body, string expected)
    {
        var headers = SuiteHeaders();
        foreach (var header in extraHeaders)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(header[..colon], header[(colon + 1)..]));
        }

        var signature = SuiteSigner().Compute(method, path, query, headers, SigV4Signer.HashHex(Encoding.UTF8.GetBytes(body)), SuiteTime);

        Assert.True(expected == signature.Signature, $"{name}: got {signature.Signature}\n{signature.CanonicalRequest}");
    }

    [Fact]
    public void Signs_a_bedrock_converse_request_with_the_exact_canonical_request()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 3, 15, 10, 30, 0, TimeSpan.Zero));
        var signer = new SigV4Signer("bedrock", "us-east-1", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, time);
        var body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}"u8.ToArray();
        using var request = ConverseRequest("https://bedrock-runtime.us-east-1.amazonaws.com", body);

        signer.Sign(request, body);

        var bodyHash = SigV4Signer.HashHex(body);
        var signature = signer.Compute("POST", request.RequestUri!.AbsolutePath, string.Empty,
            [new("content-type", "application/json"), new("host", "bedrock-runtime.us-east-1.amazonaws.com"), new("x-amz-content-sha256", bodyHash), new("x-amz-date", "20240315T103000Z")],
            bodyHash, time.GetUtcNow());
        Assert.Equal("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", request.RequestUri.AbsolutePath);
        Assert.Equal(
            "POST\n/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse\n\n" +
            "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n" +
            $"x-amz-content-sha256:{bodyHash}\nx-amz-date:20240315T103000Z\n\n" +
            $"content-type;host;x-amz-content-sha256;x-amz-date\n{bodyHash}",
            signature.CanonicalRequest);
        Assert.Equal(signature.Authorization, Header(request, "Authorization"));
        Assert.Equal("bedrock-runtime.us-east-1.amazonaws.com", request.Headers.Host);
        Assert.Equal("20240315T103000Z", Header(request, "x-amz-date"));
        Assert.Equal(bodyHash, Header(request, "x-amz-content-sha256"));
        Assert.False(request.Headers.Contains("x-amz-security-token"));
    }

    [Theory]
    [InlineData(ModelId, null)]
    [InlineData(ModelId, Token)]
    [InlineData("arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0", null)]
    [InlineData("amazon.nova-pro-v1:0", Token)]
    public void Matches_the_aws_sdk_reference_signer(string modelId, string? sessionToken)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 23, 59, 59, TimeSpan.Zero));
        var signer = new SigV4Signer("bedrock", "us-west-2", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken, time);
        var body = "{\"messages\":[]}"u8.ToArray();
        var endpoint = new Uri("https://bedrock-runtime.us-west-2.amazonaws.com");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, $"/model/{Uri.EscapeDataString(modelId)}/converse-stream"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };

        signer.Sign(request, body);

        // The AWS SDK builds its own canonical request from the unencoded model id and signs it.
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Host"] = endpoint.Host,
            ["X-Amz-Date"] = "20250131T235959Z",
            ["X-Amz-Content-SHA256"] = SigV4Signer.HashHex(body),
        };
        if (sessionToken is not null)
        {
            headers["X-Amz-Security-Token"] = sessionToken;
        }

        var expected = AwsReferenceSigner.Authorization(endpoint, "/model/{modelId}/converse-stream", new Dictionary<string, string> { ["{modelId}"] = modelId },
            headers, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-west-2", "bedrock", time.GetUtcNow().UtcDateTime);
        Assert.Equal(expected, Header(request, "Authorization"));
        Assert.Equal(sessionToken, request.Headers.TryGetValues("x-amz-security-token", out var token) ? token.Single() : null);
    }

    [Theory]
    [InlineData(ModelId)]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2 c3~é")]
    [InlineData("meta.llama3-1-70b-instruct-v1:0")]
    public void Canonical_uri_double_encodes_like_the_aws_sdk(string modelId)
    {
        var endpoint = new Uri("https://bedrock-runtime.us-east-1.amazonaws.com");
        var wire = new Uri(endpoint, $"/model/{Uri.EscapeDataString(modelId)}/converse");

        var expected = AWSSDKUtils.CanonicalizeResourcePathV2(endpoint, "/model/{modelId}/converse", true, new Dictionary<string, string> { ["{modelId}"] = modelId });

        Assert.Equal(expected, SigV4Signer.CanonicalUri(wire.AbsolutePath));
    }

    [Fact]
    public void Signing_key_follows_the_utc_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 12, 31, 23, 59, 30, TimeSpan.Zero));
        var signer = new SigV4Signer("bedrock", "eu-central-1", "AKIAIOSFODNN7EXAMPLE", "secret-one", null, time);
        var body = "{}"u8.ToArray();
        using var first = ConverseRequest("https://bedrock-runtime.eu-central-1.amazonaws.com", body);
        signer.Sign(first, body);
        time.Advance(TimeSpan.FromMinutes(1));

        // Re-signing the same message replaces every signing header instead of adding a second one.
        signer.Sign(first, body);

        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Host"] = "bedrock-runtime.eu-central-1.amazonaws.com",
            ["X-Amz-Date"] = "20250101T000030Z",
            ["X-Amz-Content-SHA256"] = SigV4Signer.HashHex(body),
        };
        var expected = AwsReferenceSigner.Authorization(new Uri("https://bedrock-runtime.eu-central-1.amazonaws.com"), "/model/{modelId}/converse",
            new Dictionary<string, string> { ["{modelId}"] = ModelId }, headers, "AKIAIOSFODNN7EXAMPLE", "secret-one", "eu-central-1", "bedrock", time.GetUtcNow().UtcDateTime);
        Assert.Equal(expected, Header(first, "Authorization"));
        Assert.Contains("Credential=AKIAIOSFODNN7EXAMPLE/20250101/eu-central-1/bedrock/aws4_request", expected, StringComparison.Ordinal);
        Assert.Single(first.Headers.GetValues("x-amz-date"));
    }

    [Fact]
    public void Host_keeps_a_non_default_port_and_the_secret_appears_nowhere()
    {
        var time = new FakeTimeProvider(SuiteTime);
        const string secret = "s3cr3t/VALUE+never-shown";
        var signer = new SigV4Signer("bedrock", "us-east-1", "AKIDEXAMPLE", secret, Token, time);
        var body = "{}"u8.ToArray();
        using var request = ConverseRequest("http://127.0.0.1:5123", body);

        signer.Sign(request, body);

        Assert.Equal("127.0.0.1:5123", request.Headers.Host);
        Assert.Equal(Token, Header(request, "x-amz-security-token"));
        Assert.Contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", Header(request, "Authorization"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, request.Headers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, signer.ToString(), StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => new SigV4Signer("bedrock", "us-east-1", "AKIDEXAMPLE", string.Empty, null, time));
        Assert.Equal("The secret access key is missing. (Parameter 'secretAccessKey')", missing.Message);
    }

    private static SigV4Signer SuiteSigner() => new("service", "us-east-1", SuiteAccessKey, SuiteSecret, null, new FakeTimeProvider(SuiteTime));

    private static List<KeyValuePair<string, string>> SuiteHeaders() =>
        [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")];

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE\r\nX-Injected: 1", null)]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "FwoGZXIvYXdzEBY\nX-Injected: 1")]
    public void Credentials_with_a_line_break_are_refused_before_any_header_is_written(string accessKeyId, string? sessionToken)
    {
        var signer = new SigV4Signer("bedrock", "us-east-1", accessKeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken, new FakeTimeProvider());
        var body = "{}"u8.ToArray();
        using var request = ConverseRequest("https://bedrock-runtime.us-east-1.amazonaws.com", body);

        var error = Assert.Throws<Gatehouse.Core.GatewayException>(() => signer.Sign(request, body)).Error;

        Assert.Equal("invalid_provider_header", error.Code);
        Assert.DoesNotContain("X-Injected", error.Message, StringComparison.Ordinal);
        Assert.False(request.Headers.Contains("Authorization"));
        Assert.False(request.Headers.Contains("x-amz-security-token"));
    }

    private static HttpRequestMessage ConverseRequest(string baseUrl, byte[] body) =>
        new(HttpMethod.Post, $"{baseUrl}/model/{Uri.EscapeDataString(ModelId)}/converse")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };

    private static string Header(HttpRequestMessage request, string name) => request.Headers.GetValues(name).Single();
}
