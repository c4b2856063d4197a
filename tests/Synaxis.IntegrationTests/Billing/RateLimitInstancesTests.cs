using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

/// <summary>Two gateways (two containers, two limiters, two table clients) sharing one Azurite and one key.</summary>
public sealed class RateLimitInstancesTests
{
    [Fact]
    public async Task Two_Gateways_HammeringOneKey_AdmitAtMostTheLimitPerWindow_AndTheNextWindowOpensAgain()
    {
        var azurite = await Azurite.SharedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString,
            ["Synaxis:Billing:TablePrefix"] = Azurite.NewTablePrefix(),
        };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 15, 1, TimeSpan.Zero));
        await using var first = await GatewayServer.StartAsync(settings, b => b.Services.AddSingleton<TimeProvider>(time));
        await using var second = await GatewayServer.StartAsync(settings, b => b.Services.AddSingleton<TimeProvider>(time));
        var limiters = new[] { first.Services.GetRequiredService<IRateLimiter>(), second.Services.GetRequiredService<IRateLimiter>() };
        Assert.IsType<TableRateLimiter>(limiters[0]);
        Assert.NotSame(limiters[0], limiters[1]);
        var caller = new Caller("key_hammered0001", "acme", new IssuedKey
        {
            Id = "key_hammered0001", Owner = "acme", Prefix = "sk-syn-hammered…", Hash = new byte[32], RequestsPerMinute = 40, TokensPerMinute = 40 * 500,
        });

        for (var window = 0; window < 2; window++)
        {
            var admitted = new int[2];
            var refused = 0;
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = bound.Token }, async (i, token) =>
            {
                var decision = await limiters[i % 2].AcquireAsync(caller, 300, token);
                if (decision.Admitted)
                {
                    Interlocked.Increment(ref admitted[i % 2]);
                    limiters[i % 2].Settle(caller, decision, 200);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                    Assert.Equal(TimeSpan.FromSeconds(59), decision.RetryAfter);
                }
            });

            // 40 requests a minute; the slices one gateway may still hold when the hammering stops are a tenth of the limit.
            Assert.InRange(admitted.Sum(), 40 - 2 * 4, 40);
            Assert.All(admitted, count => Assert.True(count > 0, "both gateways admit calls"));
            Assert.Equal(400 - admitted.Sum(), refused);
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }
}
