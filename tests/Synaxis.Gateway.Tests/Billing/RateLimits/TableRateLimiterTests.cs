using Xunit.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Billing.RateLimits;

public sealed class TableRateLimiterTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(LimiterStorage.MinuteStart.AddSeconds(15));

    [Fact]
    public async Task Requests_OverTheLimit_AreRefusedUntilTheNextMinute_WithRemainingAndResetForTheHeaders()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 3, tokensPerMinute: null);

        var remaining = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var admitted = await limiter.AcquireAsync(caller, 100, CancellationToken.None);
            Assert.True(admitted.Admitted);
            Assert.Null(admitted.Tokens);
            remaining.Add(admitted.Requests!.Value.Remaining);
            Assert.Equal(3, admitted.Requests.Value.Limit);
            Assert.Equal(TimeSpan.FromSeconds(45), admitted.Requests.Value.ResetIn);
        }

        Assert.Equal([2, 1, 0], remaining);
        _time.Advance(TimeSpan.FromSeconds(20));
        var refused = await limiter.AcquireAsync(caller, 100, CancellationToken.None);
        Assert.False(refused.Admitted);
        Assert.Equal("requests", refused.Exhausted);
        Assert.Equal(TimeSpan.FromSeconds(25), refused.RetryAfter);
        Assert.Equal(0, refused.Requests!.Value.Remaining);

        _time.Advance(TimeSpan.FromSeconds(25));
        var next = await limiter.AcquireAsync(caller, 100, CancellationToken.None);
        Assert.True(next.Admitted);
        Assert.Equal(2, next.Requests!.Value.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(60), next.Requests.Value.ResetIn);
    }

    [Fact]
    public async Task Counters_OfKeysUnusedForTwoMinutes_AreForgotten_AndTheLimitStillHoldsAfterwards()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var idle = LimiterStorage.Issued(requestsPerMinute: 2, tokensPerMinute: 1000);
        var busy = LimiterStorage.Issued(requestsPerMinute: 2, tokensPerMinute: null);
        Assert.True((await limiter.AcquireAsync(idle, 10, CancellationToken.None)).Admitted);
        Assert.True((await limiter.AcquireAsync(busy, 10, CancellationToken.None)).Admitted);
        Assert.Equal(3, limiter.Counters);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await limiter.AcquireAsync(busy, 10, CancellationToken.None)).Admitted);
        Assert.Equal(3, limiter.Counters); // one window idle is not enough

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await limiter.AcquireAsync(busy, 10, CancellationToken.None)).Admitted);
        Assert.Equal(1, limiter.Counters);

        // The forgotten key starts afresh from its shared counter: still two requests a minute.
        Assert.True((await limiter.AcquireAsync(idle, 10, CancellationToken.None)).Admitted);
        Assert.True((await limiter.AcquireAsync(idle, 10, CancellationToken.None)).Admitted);
        Assert.False((await limiter.AcquireAsync(idle, 10, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task A_SlowKey_TakesOneRequestAtATime_SoAnotherInstanceGetsEverythingLeft()
    {
        var tables = await LimiterStorage.NewTablesAsync();
        var first = new TableRateLimiter(tables, _time);
        var second = new TableRateLimiter(await LimiterStorage.SameTablesAsync(tables), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 5, tokensPerMinute: null);

        for (var i = 0; i < 2; i++)
        {
            Assert.True((await first.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await second.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.False((await first.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
        Assert.False((await second.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task Two_Instances_HammeringOneKey_FromManyThreads_NeverAdmitMoreThanTheLimit()
    {
        var tables = await LimiterStorage.NewTablesAsync();
        var limiters = new[] { new TableRateLimiter(tables, _time), new TableRateLimiter(await LimiterStorage.SameTablesAsync(tables), _time) };
        var caller = LimiterStorage.Issued(requestsPerMinute: 100, tokensPerMinute: null);

        var admitted = new int[2];
        await Parallel.ForAsync(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            if ((await limiters[i % 2].AcquireAsync(caller, 0, token)).Admitted)
            {
                Interlocked.Increment(ref admitted[i % 2]);
            }
        });

        // Never more than the limit; fewer only by what an instance still held when its calls stopped (a tenth of the limit each).
        Assert.InRange(admitted.Sum(), 100 - 2 * (100 / LimitCounter.MaxSliceDivisor), 100);
        Assert.All(admitted, count => Assert.True(count > 0));
    }

    [Fact]
    public async Task One_Instance_ManyThreads_AdmitsExactlyTheLimit()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 37, tokensPerMinute: null);

        var admitted = 0;
        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, token) =>
        {
            if ((await limiter.AcquireAsync(caller, 0, token)).Admitted)
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(37, admitted);
    }

    [Fact]
    public async Task A_HotKey_AdmitsDozensOfRequestsPerStorageOperation()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 3000, tokensPerMinute: null);

        for (var i = 0; i < 3000; i++)
        {
            Assert.True((await limiter.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
            _time.Advance(TimeSpan.FromMilliseconds(10)); // 100 requests a second: the whole minute's limit in 30 s
        }

        var operations = limiter.StorageOperations;
        Assert.False((await limiter.AcquireAsync(caller, 0, CancellationToken.None)).Admitted);
        Assert.Equal(operations, limiter.StorageOperations); // once the window is spent, refusals cost no storage call
        output.WriteLine($"3000 requests admitted with {operations} storage operations");
        Assert.InRange(operations, 1, 3000 / 50);
    }

    [Fact]
    public async Task Tokens_AreReservedAtTheEstimate_AndTheUnusedPartReturnsAtSettle()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 10, tokensPerMinute: 1000);

        var first = await limiter.AcquireAsync(caller, 600, CancellationToken.None);
        Assert.True(first.Admitted);
        Assert.Equal(600, first.ReservedTokens);
        Assert.Equal(400, first.Tokens!.Value.Remaining);

        var second = await limiter.AcquireAsync(caller, 600, CancellationToken.None);
        Assert.False(second.Admitted);
        Assert.Equal("tokens", second.Exhausted);
        Assert.Equal(9, second.Requests!.Value.Remaining); // a request refused for its tokens gives its request back

        limiter.Settle(caller, first, 150);
        var third = await limiter.AcquireAsync(caller, 600, CancellationToken.None);
        Assert.True(third.Admitted);
        Assert.Equal(250, third.Tokens!.Value.Remaining);
    }

    [Fact]
    public async Task Tokens_UsedBeyondTheEstimate_AreChargedToTheWindow()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: null, tokensPerMinute: 1000);

        var first = await limiter.AcquireAsync(caller, 300, CancellationToken.None);
        limiter.Settle(caller, first, 800);

        Assert.False((await limiter.AcquireAsync(caller, 300, CancellationToken.None)).Admitted);
        Assert.True((await limiter.AcquireAsync(caller, 200, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task Tokens_SettledAfterTheWindowEnded_DoNotReturnToTheNewWindow()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: null, tokensPerMinute: 1000);

        var streamed = await limiter.AcquireAsync(caller, 900, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.True((await limiter.AcquireAsync(caller, 1000, CancellationToken.None)).Admitted);
        limiter.Settle(caller, streamed, 10);

        Assert.False((await limiter.AcquireAsync(caller, 1, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task A_CallLargerThanTheTokenLimit_IsRefusedWithoutTakingAnything()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);
        var caller = LimiterStorage.Issued(requestsPerMinute: 5, tokensPerMinute: 1000);

        var refused = await limiter.AcquireAsync(caller, 4096, CancellationToken.None);

        Assert.False(refused.Admitted);
        Assert.Equal("tokens", refused.Exhausted);
        Assert.True((await limiter.AcquireAsync(caller, 1000, CancellationToken.None)).Admitted);
        Assert.Equal(4, (await limiter.AcquireAsync(caller, 0, CancellationToken.None)).Requests!.Value.Remaining + 1);
    }

    [Fact]
    public async Task A_KeyWithoutLimits_IsUnlimited_WithoutTouchingStorage()
    {
        var limiter = new TableRateLimiter(await LimiterStorage.NewTablesAsync(), _time);

        var decision = await limiter.AcquireAsync(LimiterStorage.Issued(null, null), 10, CancellationToken.None);

        Assert.Same(RateLimitDecision.Unlimited, decision);
        Assert.Equal(0, limiter.StorageOperations);
    }

    [Fact]
    public async Task Unreachable_Storage_Throws_SoTheCallIsAnswered503_NotAdmittedUnchecked()
    {
        // Port 9 (discard) has no listener on this machine: every request is refused.
        var tables = LimiterStorage.Tables(Azurite.ConnectionStringFor(9), "unreachable");
        var limiter = new TableRateLimiter(tables, _time);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(async () =>
            await limiter.AcquireAsync(LimiterStorage.Issued(5, null), 0, CancellationToken.None));
    }
}
