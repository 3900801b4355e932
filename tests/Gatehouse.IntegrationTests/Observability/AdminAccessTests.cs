using System.Net;
using System.Text.Json;
using Gatehouse.Server.Http;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gatehouse.IntegrationTests.Observability;

/// <summary>The admin API refuses callers that are not on the gateway's machine.</summary>
public sealed class AdminAccessTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("2001:db8::1")]
    public async Task Remote_callers_get_403_and_the_handler_never_runs(string remote)
    {
        var ran = false;
        var guarded = AdminAccess.LoopbackOnly(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Response.Body = new MemoryStream();

        await guarded(http);

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var error = JsonDocument.Parse(http.Response.Body).RootElement.GetProperty("error");
        Assert.Equal("admin_loopback_only", error.GetProperty("code").GetString());
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Local_callers_reach_the_handler(string local)
    {
        var ran = false;
        var guarded = AdminAccess.LoopbackOnly(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(local);

        await guarded(http);

        Assert.True(ran);
    }
}
