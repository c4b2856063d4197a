using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Streaming;

public sealed class StreamRelayTests
{
    [Theory]
    [InlineData("openai/chat-stream-text.sse")]
    [InlineData("openai/chat-stream-include-usage.sse")]
    [InlineData("openai/chat-stream-finish-length.sse")]
    [InlineData("deepseek/chat-stream-reasoning-content.sse")]
    [InlineData("ollama/v1-chat-stream-reasoning-include-usage.sse")]
    [InlineData("openrouter/chat-stream-processing-comments-usage.sse")]
    public async Task Stream_RecordedUpstream_ReachesClientWithSameTextInOrderAndDone(string fixture)
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SseReader.RecordedText(fixture), string.Concat(lines.Select(l => l.Content)));
        Assert.True(lines[^1].IsDone, "a good stream ends with data: [DONE]");
        Assert.Single(lines, l => l.IsDone);
        Assert.DoesNotContain(lines, l => l.IsError);
    }

    [Fact]
    public async Task Stream_ToolCallChunks_ArePassedThroughByteForByte()
    {
        const string fixture = "openai/chat-stream-parallel-tool-calls.sse";
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true, ""","stream_options":{"include_usage":true}"""));
        var relayed = (await SseReader.ReadAllAsync(response)).Where(l => l.Data is not null).Select(l => l.Data!).ToList();

        var recorded = File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        Assert.Equal(recorded, relayed);
    }

    [Fact]
    public async Task Stream_UpstreamIgnoresStreamAndAnswersJson_ClientStillGetsAStream()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/chat-completion-tool-calls.json");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        var recorded = JsonNode.Parse(Fixtures.Text("openai/chat-completion-tool-calls.json"))!["choices"]![0]!["message"]!["tool_calls"]!.AsArray();
        var calls = lines[0].Json!["choices"]![0]!["delta"]!["tool_calls"]!.AsArray();
        Assert.Equal(recorded.Count, calls.Count);
        Assert.Equal(0, calls[0]!["index"]!.GetValue<int>());
        Assert.Equal(recorded[0]!["function"]!["arguments"]!.GetValue<string>(), calls[0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", lines[1].Json!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.NotNull(lines[2].Json!["usage"]);
        Assert.True(lines[3].IsDone);
    }

    [Fact]
    public async Task Stream_ResponseHeaders_ReachClientBeforeTheFirstEventExists_WhenTheUpstreamIsSilent()
    {
        // Headers wait for the first event (until then another deployment could still answer), but no
        // longer than the keep-alive interval.
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:KeepAliveInterval"] = "00:00:00.200");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        test.Upstream.Behavior = async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await gate.Task.WaitAsync(context.RequestAborted); // no event until the client has its headers
            await context.Response.Body.WriteAsync(Fixtures.Bytes("openai/chat-stream-text.sse"), context.RequestAborted);
        };

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true)).WaitAsync(TimeSpan.FromSeconds(10));
        gate.SetResult();
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(lines[^1].IsDone);
    }

    [Fact]
    public async Task Stream_FirstToken_ReachesClientWhileUpstreamStillSleeps()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(400));

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        await foreach (var line in SseReader.ReadAsync(response))
        {
            if (line.Content is { Length: > 0 })
            {
                // The upstream is still inside its handler, sleeping before the rest of the answer.
                Assert.Equal(0, test.Upstream.ServedCount);
                Assert.Equal(1, test.Upstream.ActiveCount);
                return;
            }
        }

        Assert.Fail("no content arrived");
    }

    [Fact]
    public async Task Stream_EveryPacedChunk_ReachesClientBeforeTheUpstreamSendsTheNext()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(250));

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var contentEvents = 0;
        var whileUpstreamBusy = 0;
        await foreach (var line in SseReader.ReadAsync(response))
        {
            if (line.Content is { Length: > 0 })
            {
                contentEvents++;
                whileUpstreamBusy += test.Upstream.ServedCount == 0 ? 1 : 0;
            }
        }

        // Held flushes are for events that arrived together; a paced event is never kept back for the next one.
        Assert.True(contentEvents >= 3, $"{contentEvents} content events");
        Assert.Equal(contentEvents, whileUpstreamBusy);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_HidesUsageChunkButAsksUpstreamForIt()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-include-usage.sse");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.DoesNotContain(lines, l => l.Json?["choices"]?.AsArray().Count == 0);
        Assert.True(test.Upstream.Requests.Single().Json["stream_options"]?["include_usage"]?.GetValue<bool>());
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("promptTokens=16 completionTokens=10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_PassesUsageChunkBeforeDone()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-include-usage.sse");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        var usage = lines[^2].Json!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(16, usage["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(10, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.True(lines[^1].IsDone);
    }

    [Fact]
    public async Task Stream_UnknownFields_ReachUpstreamWithUpstreamModelName()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse");
        const string extra = ""","seed":42,"response_format":{"type":"json_object"},"logit_bias":{"50256":-100},"x_vendor_flag":{"nested":[1,"two",null]}""";

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true, extra));
        await SseReader.ReadAllAsync(response);

        var sent = test.Upstream.Requests.Single();
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer sk-upstream-test-key", sent.Headers["Authorization"]);
        var json = sent.Json;
        Assert.Equal("gpt-4o", json["model"]!.GetValue<string>());
        Assert.Equal(42, json["seed"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"json_object"}"""), json["response_format"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"50256":-100}"""), json["logit_bias"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"nested":[1,"two",null]}"""), json["x_vendor_flag"]));
    }

    [Fact]
    public async Task Stream_WhileUpstreamIsSilent_SendsKeepAliveComments()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:KeepAliveInterval"] = "00:00:00.200");
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", firstDelay: TimeSpan.FromMilliseconds(1200));

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        var firstData = lines.FindIndex(l => l.Data is not null);
        Assert.True(firstData > 0, "keep-alives come before the first event");
        Assert.All(lines.Take(firstData), l => Assert.Equal("keep-alive", l.Comment));
        Assert.True(lines[^1].IsDone);
        Assert.Equal(SseReader.RecordedText("openai/chat-stream-text.sse"), string.Concat(lines.Select(l => l.Content)));
    }

    [Fact]
    public async Task Stream_WhenClientDisconnects_CancelsUpstream()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(300));

        var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        await foreach (var line in SseReader.ReadAsync(response))
        {
            if (line.Content is { Length: > 0 })
            {
                break;
            }
        }

        response.Dispose(); // the client hangs up mid-stream
        await FakeUpstream.WaitUntilAsync(() => test.Upstream.AbortedCount == 1, TimeSpan.FromSeconds(10), "the upstream sees its connection closed");
        Assert.Equal(0, test.Upstream.ServedCount);
        await FakeUpstream.WaitUntilAsync(() => test.Gateway.Logs.Lines.Any(l => l.Contains("aborted=True", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the call is logged as aborted");
    }
}
