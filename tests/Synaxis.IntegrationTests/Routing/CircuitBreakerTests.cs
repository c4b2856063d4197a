using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>A deployment that keeps failing is left alone for the break, then probed, then used again.</summary>
public sealed class CircuitBreakerTests
{
    private static void FastBreaker(Dictionary<string, string?> settings)
    {
        settings["Synaxis:Routing:CircuitBreaker:MinimumThroughput"] = "2";
        settings["Synaxis:Routing:CircuitBreaker:FailureRatio"] = "0.5";
        settings["Synaxis:Routing:CircuitBreaker:SamplingDuration"] = "00:00:10";
        settings["Synaxis:Routing:CircuitBreaker:BreakDuration"] = "00:00:01";
    }

    [Fact]
    public async Task Breaker_OpensOnRepeatedFailures_SkipsTheDeployment_ThenProbesAndCloses()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            FastBreaker(s);
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Faults.ServerError(500);

        // Two failures of two calls: the circuit opens. Every client is still answered by d1.
        for (var i = 0; i < 4; i++)
        {
            using var response = await test.PostChatAsync(stream: true);
            StreamAssert.IsCompleteAnswerOf(await SseReader.ReadAllAsync(response), RoutedGateway.Label(1));
        }

        Assert.Equal(2, test.Upstreams[0].Requests.Count); // open: calls 3 and 4 went straight to d1
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("Circuit of deployment gpt-4-d0 opened", StringComparison.Ordinal));

        // d0 recovers; after the break one call probes it, and its success closes the circuit.
        test.Upstreams[0].Behavior = Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, RoutedGateway.Label(0));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        for (var i = 0; i < 2; i++)
        {
            using var response = await test.PostChatAsync(stream: true);
            Assert.Equal(RoutedGateway.Deployment(0), StreamAssert.DeploymentOf(response));
            StreamAssert.IsCompleteAnswerOf(await SseReader.ReadAllAsync(response), RoutedGateway.Label(0));
        }

        Assert.Equal(4, test.Upstreams[0].Requests.Count);
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("Circuit of deployment gpt-4-d0 closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Breaker_FailedProbe_ReopensTheCircuit()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            FastBreaker(s);
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Faults.ResetBeforeHeaders();
        for (var i = 0; i < 2; i++)
        {
            (await test.PostChatAsync(stream: false)).Dispose();
        }

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        (await test.PostChatAsync(stream: false)).Dispose(); // the probe fails
        (await test.PostChatAsync(stream: false)).Dispose(); // open again: not called

        Assert.Equal(3, test.Upstreams[0].Requests.Count);
        Assert.Equal(2, test.Gateway.Logs.Lines.Count(l => l.Contains("Circuit of deployment gpt-4-d0 opened", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Breaker_OpenOnTheOnlyDeployment_Gives503WithRetryAfter_WithoutCallingIt()
    {
        await using var test = await RoutedGateway.StartAsync(1, s =>
        {
            FastBreaker(s);
            s["Synaxis:Routing:CircuitBreaker:BreakDuration"] = "00:00:20";
            s["Synaxis:Routing:MaxAttempts"] = "1";
        });
        test.Upstreams[0].Behavior = Faults.ServerError(500);
        for (var i = 0; i < 2; i++)
        {
            using var failed = await test.PostChatAsync(stream: true);
            Assert.Equal(502, (int)failed.StatusCode);
        }

        using var response = await test.PostChatAsync(stream: true);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("upstream_unavailable", error["code"]!.GetValue<string>());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20));
        Assert.Equal(2, test.Upstreams[0].Requests.Count);
    }
}
