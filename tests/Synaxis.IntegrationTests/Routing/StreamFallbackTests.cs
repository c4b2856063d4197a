using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>
/// A stream whose first deployment misbehaves before its first chunk is answered, completely and once,
/// by the next one; after the first chunk a failure ends the stream with an error event instead.
/// </summary>
public sealed class StreamFallbackTests
{
    public static TheoryData<string> FailuresBeforeTheFirstChunk => ["reset", "500", "502", "503", "429", "malformed", "not-sse", "stall-after-headers"];

    private static Func<HttpContext, JsonObject, Task> Misbehave(string failure) => failure switch
    {
        "reset" => Faults.ResetBeforeHeaders(),
        "500" => Faults.ServerError(500),
        "502" => Faults.ServerError(502),
        "503" => Faults.ServerError(503),
        "429" => Faults.RateLimited("30"),
        "malformed" => Faults.MalformedStream(),
        "not-sse" => Faults.NotAnEventStream(),
        "stall-after-headers" => Respond.StallAfter(Respond.TextStream, events: 0),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    [Theory]
    [MemberData(nameof(FailuresBeforeTheFirstChunk))]
    public async Task Stream_FirstDeploymentFailsBeforeItsFirstChunk_NextOneAnswersCompletely(string failure)
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(1, "Priority")] = "2"; // d0 first, d1 the fallback
            s[RoutedGateway.Key(0, "FirstByteTimeout")] = "00:00:00.500";
        });
        test.Upstreams[0].Behavior = Misbehave(failure);

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(RoutedGateway.Deployment(1), StreamAssert.DeploymentOf(response));
        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(1));
        Assert.Single(test.Upstreams[0].Requests);
        Assert.Single(test.Upstreams[1].Requests);
    }

    [Fact]
    public async Task Stream_AnthropicOverloadedBeforeItsFirstEvent_AnOpenAIDeploymentAnswersCompletely()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "Provider")] = "anthropic";
            s[RoutedGateway.Key(0, "UpstreamModel")] = "claude-3-opus-20240229";
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Respond.Replay("anthropic/messages-stream-error-overloaded.sse");

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(RoutedGateway.Deployment(1), StreamAssert.DeploymentOf(response));
        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(1));
        Assert.EndsWith("/messages", test.Upstreams[0].Requests.Single().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_FirstDeploymentRefusesConnections_NextOneAnswersCompletely()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "BaseUrl")] = Faults.RefusingUrl().ToString();
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(RoutedGateway.Deployment(1), StreamAssert.DeploymentOf(response));
        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(1));
    }

    [Fact]
    public async Task Stream_FirstDeploymentStallsBeforeAnyByte_NextOneAnswersAfterTheFirstByteTimeout()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "FirstByteTimeout")] = "00:00:00.400";
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Respond.Stall();
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(1));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
        await FakeUpstream.WaitUntilAsync(() => test.Upstreams[0].AbortedCount == 1, TimeSpan.FromSeconds(10), "the stalled call is cancelled");
    }

    [Fact]
    public async Task Stream_FirstDeploymentResetsAfterItsFirstChunks_EndsWithErrorEventAndNeverRepeatsText()
    {
        await using var test = await RoutedGateway.StartAsync(2, s => s[RoutedGateway.Key(1, "Priority")] = "2");
        test.Upstreams[0].Behavior = Respond.Replay("openai/chat-stream-text.sse", cutAfterEvents: 4, abortAtCut: true);

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(RoutedGateway.Deployment(0), StreamAssert.DeploymentOf(response));
        Assert.Equal(4, lines.Count(l => l.Data is not null && !l.IsError));
        Assert.Equal("upstream_reset", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
        Assert.Empty(test.Upstreams[1].Requests); // committed: no second deployment adds its text
    }

    [Fact]
    public async Task Stream_FirstDeploymentStallsMidStream_EndsWithTimeoutErrorEventWithinTheIdleTimeout()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "IdleTimeout")] = "00:00:00.400";
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Respond.StallAfter("openai/chat-stream-text.sse", events: 3);
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(3, lines.Count(l => l.Data is not null && !l.IsError));
        Assert.Equal("upstream_timeout", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
        Assert.Empty(test.Upstreams[1].Requests);
    }

    [Fact]
    public async Task Stream_EveryDeploymentFails_ClientGetsTheLastErrorNamingTheLastDeploymentTried()
    {
        await using var test = await RoutedGateway.StartAsync(2, s => s[RoutedGateway.Key(1, "Priority")] = "2");
        test.Upstreams[0].Behavior = Faults.ServerError(500);
        test.Upstreams[1].Behavior = Faults.ServerError(503);

        using var response = await test.PostChatAsync(stream: true);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
        Assert.Contains("'gpt-4'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("gpt-4-d", StreamAssert.DeploymentOf(response), StringComparison.Ordinal);
        // Three attempts (the default): each deployment once, then one of them again.
        Assert.Equal(3, test.Upstreams.Sum(u => u.Requests.Count));
    }

    [Fact]
    public async Task Stream_RequestRejectedAsBad_IsNeitherRetriedNorSentElsewhere()
    {
        await using var test = await RoutedGateway.StartAsync(2);
        foreach (var upstream in test.Upstreams)
        {
            upstream.Behavior = Respond.Json("openai/error-400-unsupported-parameter.json");
        }

        using var response = await test.PostChatAsync(stream: true);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(1, test.Upstreams.Sum(u => u.Requests.Count));
    }
}
