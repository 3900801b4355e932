using System.Text;
using Gatehouse.Protocol.Sse;
using Gatehouse.Server.Pipeline;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>The raw bytes the pass-through path forwards for each upstream event mean what the upstream sent.</summary>
public sealed class SseMessageReaderTests
{
    [Theory]
    [InlineData("data: {\"a\":1}\n\n", "data: {\"a\":1}\n\n")]
    [InlineData("event: message_start\ndata: {}\n\n", "event: message_start\ndata: {}\n\n")]
    [InlineData("data: first line\ndata: second line\r\ndata:third\n\n", "data: first line\ndata: second line\ndata: third\n\n")]
    [InlineData("data: \ndata: after an empty line\n\n", "data: \ndata: after an empty line\n\n")]
    public async Task Raw_reframes_every_data_line_of_an_event(string upstream, string forwarded)
    {
        using var reader = new SseMessageReader(new MemoryStream(Encoding.UTF8.GetBytes(upstream)));

        Assert.True(await reader.ReadAsync(CancellationToken.None));
        var raw = Encoding.UTF8.GetString(reader.Raw.Span);

        Assert.Equal(forwarded, raw);
        using var parser = new SseParser();
        parser.Append(reader.Raw.Span);
        Assert.True(parser.TryRead(out var again));
        Assert.Equal(Encoding.UTF8.GetString(reader.Payload.Span), Encoding.UTF8.GetString(again.Data.Span));
    }
}
