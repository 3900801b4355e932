using Gatehouse.Core;
using Gatehouse.Server.Pipeline;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>What a stream that reached its client is charged, with and without the provider's usage.</summary>
public sealed class StreamUsageTests
{
    [Fact]
    public void A_finished_stream_keeps_what_its_provider_reported() =>
        Assert.Equal(new Usage(100, 20, 30), StreamUsage.Complete(new Usage(100, 20, 30), promptTokens: 500, outputChars: 4000, finished: true));

    [Fact]
    public void A_finished_stream_without_usage_is_estimated() =>
        Assert.Equal(new Usage(500, 1000), StreamUsage.Complete(default, promptTokens: 500, outputChars: 3999, finished: true));

    [Fact]
    public void A_prompt_read_from_the_cache_counts_as_reported_input() =>
        Assert.Equal(new Usage(0, 20, 500), StreamUsage.Complete(new Usage(0, 20, 500), promptTokens: 40, outputChars: 80, finished: true));

    [Fact]
    public void A_cut_stream_is_charged_at_least_its_output_estimate()
    {
        // An Anthropic stream cut after message_start: exact input, and an output count of one.
        Assert.Equal(new Usage(13, 250), StreamUsage.Complete(new Usage(13, 1), promptTokens: 40, outputChars: 1000, finished: false));

        // A count beyond the estimate stands.
        Assert.Equal(new Usage(13, 400), StreamUsage.Complete(new Usage(13, 400), promptTokens: 40, outputChars: 1000, finished: false));
    }
}
