using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Streaming;

/// <summary>How a stream ends when the upstream fails: a status while nothing was sent, an SSE error event after.</summary>
public sealed class StreamFailureTests
{
    private const string Text = "openai/chat-stream-text.sse";

    [Fact]
    public async Task Stream_UpstreamSendsNothing_FirstByteTimeoutGives504()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:FirstByteTimeout"] = "00:00:00.500");
        test.Upstream.Behavior = Respond.Stall();

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("\"code\":\"upstream_timeout\"", body, StringComparison.Ordinal);
        // A timeout is retried, so there may be several calls; each one is cancelled.
        await FakeUpstream.WaitUntilAsync(() => test.Upstream.AbortedCount == test.Upstream.Requests.Count, TimeSpan.FromSeconds(10), "every stalled upstream call is cancelled");
    }

    [Fact]
    public async Task Stream_UpstreamAcceptsButSendsNoEvent_Gives504BecauseNothingWasSentYet()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:FirstByteTimeout"] = "00:00:00.500");
        test.Upstream.Behavior = Respond.StallAfter(Text, events: 0);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        // Headers wait for the first event: until then another attempt could still answer.
        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("\"code\":\"upstream_timeout\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UpstreamGoesSilentMidStream_IdleTimeoutEndsWithErrorEventAndNoDone()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:IdleTimeout"] = "00:00:00.400");
        test.Upstream.Behavior = Respond.StallAfter(Text, events: 3);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(4, lines.Count(l => l.Data is not null));
        Assert.Equal("upstream_timeout", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
        await FakeUpstream.WaitUntilAsync(() => test.Upstream.AbortedCount == 1, TimeSpan.FromSeconds(10), "the silent upstream call is cancelled");
    }

    [Fact]
    public async Task Stream_UpstreamSilentAfterAChunkTheClientDoesNotSee_IdleTimeoutStillHolds()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:IdleTimeout"] = "00:00:00.400");
        test.Upstream.Behavior = async (context, request) =>
        {
            // A usage-only chunk is withheld from a client that did not ask for usage; the wait after it is still bounded.
            await Respond.RawStream("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":0,\"total_tokens\":1}}\n\n")(context, request);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("\"code\":\"upstream_timeout\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UpstreamResetsMidStream_EndsWithErrorEventAfterTheContentSent()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(Text, cutAfterEvents: 4, abortAtCut: true);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(4, lines.Count(l => l.Data is not null && !l.IsError));
        Assert.True(lines[^1].IsError);
        Assert.Equal("upstream_reset", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Fact]
    public async Task Stream_UpstreamEndsWithoutDoneOrFinishReason_IsNotPassedOffAsComplete()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(Text, cutAfterEvents: 4);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.True(lines[^1].IsError);
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Fact]
    public async Task Stream_MalformedJsonEvent_EndsWithProtocolErrorEvent()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var good = File.ReadLines(Fixtures.PathOf(Text)).First(l => l.StartsWith("data: ", StringComparison.Ordinal));
        test.Upstream.Behavior = Respond.RawStream(good + "\n\n", "data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"delta\":{\"content\":\"tru\n\n", "data: [DONE]\n\n");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(2, lines.Count(l => l.Data is not null));
        Assert.Equal("upstream_protocol_error", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_UpstreamSendsALineThatNeverEnds_EndsWithErrorEventInsteadOfGrowingMemory()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var good = File.ReadLines(Fixtures.PathOf(Text)).First(l => l.StartsWith("data: ", StringComparison.Ordinal));
        test.Upstream.Behavior = Respond.RawStream(good + "\n\n", "data: {\"id\":\"" + new string('x', 9 * 1024 * 1024));

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(2, lines.Count(l => l.Data is not null));
        Assert.Equal("upstream_reset", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_UpstreamReportsErrorInBand_ClientGetsItsMessageAndNoDone()
    {
        const string fixture = "groq/chat-stream-midstream-error-tool-use-failed.sse";
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        var error = lines[^1].Json!["error"]!;
        Assert.Equal("tool_use_failed", error["code"]!.GetValue<string>());
        Assert.StartsWith("Tool call validation failed", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Fact]
    public async Task Stream_UpstreamRefusesAfterKeepAliveStartedTheResponse_EndsWithErrorEvent()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:KeepAliveInterval"] = "00:00:00.200");
        test.Upstream.Behavior = async (context, request) =>
        {
            await Task.Delay(1000, context.RequestAborted); // slow to answer at all: the gateway must keep the client's line alive
            await Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after", "3"))(context, request);
        };

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("keep-alive", lines[0].Comment);
        Assert.Equal("rate_limit_exceeded", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Fact]
    public async Task Stream_UpstreamRateLimited_Gives429WithRetryAfter()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after", "7"));

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Contains("\"code\":\"rate_limit_exceeded\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("org-xxx", body, StringComparison.Ordinal); // the operator's account details stay private
    }
}
