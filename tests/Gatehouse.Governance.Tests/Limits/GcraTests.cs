using Gatehouse.Governance.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.Governance.Tests.Limits;

public sealed class GcraTests
{
    private static readonly RateLimitRule TenPerMinute = new(10, TimeSpan.FromMinutes(1));

    [Fact]
    public async Task A_full_burst_is_allowed_then_one_unit_per_interval()
    {
        var time = new FakeTimeProvider();
        var counter = new InProcessRateLimitCounter(time);
        for (var i = 0; i < 10; i++)
        {
            var decision = await counter.TryAcquireAsync("k", TenPerMinute, 1, default);
            Assert.True(decision.Allowed);
            Assert.Equal(9 - i, decision.Remaining);
        }

        var denied = await counter.TryAcquireAsync("k", TenPerMinute, 1, default);
        Assert.False(denied.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(6), denied.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await counter.TryAcquireAsync("k", TenPerMinute, 1, default)).Allowed);
        Assert.False((await counter.TryAcquireAsync("k", TenPerMinute, 1, default)).Allowed);
        Assert.True((await counter.TryAcquireAsync("other", TenPerMinute, 1, default)).Allowed);
    }

    [Fact]
    public async Task Charges_after_the_fact_push_into_debt_and_refunds_give_back()
    {
        var time = new FakeTimeProvider();
        var counter = new InProcessRateLimitCounter(time);
        await counter.ChargeAsync("t", TenPerMinute, 15, default);
        var denied = await counter.TryAcquireAsync("t", TenPerMinute, 1, default);
        Assert.False(denied.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(36), denied.RetryAfter);
        await counter.ChargeAsync("t", TenPerMinute, -10, default);
        Assert.True((await counter.TryAcquireAsync("t", TenPerMinute, 1, default)).Allowed);
    }

    [Fact]
    public async Task Concurrent_acquires_never_grant_more_than_the_limit()
    {
        var counter = new InProcessRateLimitCounter(new FakeTimeProvider());
        var rule = new RateLimitRule(100, TimeSpan.FromMinutes(1));
        var results = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => Task.Run(async () => (await counter.TryAcquireAsync("c", rule, 1, default)).Allowed)));
        Assert.Equal(100, results.Count(r => r));
    }

    [Fact]
    public async Task Concurrency_slots_are_bounded_and_released()
    {
        var counter = new InProcessConcurrencyCounter();
        Assert.True(await counter.TryEnterAsync("c", 2, default));
        Assert.True(await counter.TryEnterAsync("c", 2, default));
        Assert.False(await counter.TryEnterAsync("c", 2, default));
        await counter.ExitAsync("c");
        Assert.True(await counter.TryEnterAsync("c", 2, default));
    }
}
