using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gatehouse.IntegrationTests.Harness;

/// <summary>Calls the gateway with a given key (or none) — admin API and data plane alike.</summary>
public static class AdminClient
{
    public static async Task<(int Status, JsonElement Json, HttpResponseMessage Response)> SendAsync(this GatewayTestHost host, HttpMethod method, string path, string? json = null, string? key = null, string scheme = "bearer")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            if (scheme == "bearer")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                request.Headers.Add("x-api-key", key);
            }
        }

        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return ((int)response.StatusCode, parsed, response);
    }

    /// <summary>Creates a key through the admin API and returns the key text and its id.</summary>
    public static async Task<(string Key, string Id)> CreateKeyAsync(this GatewayTestHost host, string body = "{}", string? adminKey = null)
    {
        var (status, json, _) = await host.SendAsync(HttpMethod.Post, "/admin/api/keys", body, adminKey);
        if (status != 201)
        {
            throw new InvalidOperationException($"key creation failed: {status} {json}");
        }

        return (json.GetProperty("key").GetString()!, json.GetProperty("id").GetString()!);
    }

    public static Task<(int Status, JsonElement Json, HttpResponseMessage Response)> ChatAsync(this GatewayTestHost host, string? key, string model = "gatehouse-mock-1", string extra = "", string scheme = "bearer") =>
        host.SendAsync(HttpMethod.Post, "/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"x"}]{{extra}}}""", key, scheme);

    public static string ErrorCode(this JsonElement json) => json.GetProperty("error").GetProperty("code").GetString()!;
}
