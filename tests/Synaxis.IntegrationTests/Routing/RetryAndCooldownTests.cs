using System.Diagnostics;
using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>429s and Retry-After: short waits are waited out, long ones cool the deployment down and reach the client.</summary>
public sealed class RetryAndCooldownTests
{
    [Fact]
    public async Task ShortRetryAfter_OnTheOnlyDeployment_IsWaitedOutByTheGateway()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["Synaxis:Routing:MaxRetryDelay"] = "00:00:02");
        test.Upstreams[0].Behavior = Respond.Sequence(Faults.RateLimited("1"), Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, RoutedGateway.Label(0)));
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(0));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(5));
        Assert.Equal(2, test.Upstreams[0].Requests.Count);
    }

    [Fact]
    public async Task LongRetryAfter_OnTheOnlyDeployment_ReachesTheClient_AndHoldsBackLaterCalls()
    {
        await using var test = await RoutedGateway.StartAsync(1);
        test.Upstreams[0].Behavior = Faults.RateLimited("30");

        using var first = await test.PostChatAsync(stream: true);
        using var second = await test.PostChatAsync(stream: false);

        Assert.Equal(429, (int)first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.RetryAfter?.Delta);
        Assert.Equal(RoutedGateway.Deployment(0), StreamAssert.DeploymentOf(first));
        // The second call is answered from the cooldown: the upstream asked for 30 s and is left alone.
        Assert.Equal(429, (int)second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        Assert.Single(test.Upstreams[0].Requests);
    }

    [Fact]
    public async Task RateLimitedDeployment_CoolsDown_AndItsShareGoesToTheOthers()
    {
        await using var test = await RoutedGateway.StartAsync(2);
        test.Upstreams[0].Behavior = Faults.RateLimited("30");

        for (var i = 0; i < 6; i++)
        {
            using var response = await test.PostChatAsync(stream: true);
            StreamAssert.IsCompleteAnswerOf(await SseReader.ReadAllAsync(response), RoutedGateway.Label(1));
        }

        Assert.Single(test.Upstreams[0].Requests); // one 429, then no call for 30 s
        Assert.Equal(6, test.Upstreams[1].Requests.Count);
    }

    [Fact]
    public async Task RateLimitHeadersOfTheProvider_AreHonouredLikeRetryAfter()
    {
        await using var test = await RoutedGateway.StartAsync(1);
        test.Upstreams[0].Behavior = Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("x-ratelimit-reset-requests", "20s"), ("x-ratelimit-reset-tokens", "6m0s"));

        using var response = await test.PostChatAsync(stream: false);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(6), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ServerErrors_OnTheOnlyDeployment_AreRetriedWithBackoff_UpToMaxAttempts()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["Synaxis:Routing:MaxAttempts"] = "4");
        test.Upstreams[0].Behavior = Respond.Sequence(Faults.ServerError(500), Faults.ServerError(503), Faults.ResetBeforeHeaders(), Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, RoutedGateway.Label(0)));

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(0));
        Assert.Equal(4, test.Upstreams[0].Requests.Count);
    }

    [Fact]
    public async Task TimeBudget_EndsTheRequest_WhenEveryDeploymentStalls()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s["Synaxis:FirstByteTimeout"] = "00:00:30";
            s["Synaxis:Routing:TimeBudget"] = "00:00:01";
        });
        foreach (var upstream in test.Upstreams)
        {
            upstream.Behavior = Respond.Stall();
        }

        var clock = Stopwatch.StartNew();
        using var response = await test.PostChatAsync(stream: true);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("upstream_timeout", body, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }
}
