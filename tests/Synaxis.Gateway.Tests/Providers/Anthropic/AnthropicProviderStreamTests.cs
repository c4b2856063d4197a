using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Anthropic.AnthropicHarness;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>
/// Recorded Anthropic streams through the provider: what an OpenAI client reassembles equals what the
/// upstream sent, usage and finish reasons map, and a stream cut anywhere ends with a failure, never a crash.
/// </summary>
public sealed class AnthropicProviderStreamTests
{
    private const string Text = "anthropic/messages-stream-text.sse";
    private const string ToolUse = "anthropic/messages-stream-tool-use-parallel.sse";
    private const string Thinking = "anthropic/messages-stream-thinking.sse";
    private const string RedactedThinking = "anthropic/messages-stream-redacted-thinking.sse";
    private const string MaxTokens = "anthropic/messages-stream-max-tokens.sse";
    private const string Overloaded = "anthropic/messages-stream-error-overloaded.sse";

    public static TheoryData<string, string> CompleteStreams => new()
    {
        { Text, "stop" },
        { ToolUse, "tool_calls" },
        { Thinking, "stop" },
        { RedactedThinking, "stop" },
        { MaxTokens, "length" },
    };

    [Theory]
    [MemberData(nameof(CompleteStreams))]
    public async Task Stream_Recorded_TextEqualsTheUpstreamsAndEndsWithOneFinishAndUsage(string fixture, string finishReason)
    {
        var recorded = RecordedAnthropicStream.Load(fixture);

        var translated = new TranslatedStream(await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(fixture))));

        Assert.All(translated.Chunks, c => Assert.Null(c.Failure));
        Assert.Equal(recorded.Text, translated.Text);
        Assert.Equal([finishReason], translated.FinishReasons);
        var last = translated.Chunks[^1];
        Assert.False(last.HasChoices);
        Assert.Empty(JsonNode.Parse(last.Json)!["choices"]!.AsArray());
        var usage = recorded.FinalUsage!;
        Assert.Equal(usage["input_tokens"]!.GetValue<int>() + usage["cache_read_input_tokens"]!.GetValue<int>() + usage["cache_creation_input_tokens"]!.GetValue<int>(), last.Usage!.PromptTokens);
        Assert.Equal(usage["output_tokens"]!.GetValue<int>(), last.Usage.CompletionTokens);
        Assert.Equal(last.Usage.PromptTokens + last.Usage.CompletionTokens, last.Usage.TotalTokens);
        Assert.Equal(0, last.Usage.PromptTokensDetails?.CachedTokens);
        Assert.False(last.Usage.IsEstimated);
        Assert.Equal(last.Usage.CompletionTokens, JsonNode.Parse(last.Json)!["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_Text_StartsWithTheRoleAndCarriesTheMessageIdAndModel()
    {
        var chunks = await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(Text)));

        var first = JsonNode.Parse(chunks[0].Json)!;
        Assert.Equal("assistant", first["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.All(chunks.Select(c => JsonNode.Parse(c.Json)!), chunk =>
        {
            Assert.Equal("msg_018bk6q16LtrDpGDm6TyXTgn", chunk["id"]!.GetValue<string>());
            Assert.Equal("chat.completion.chunk", chunk["object"]!.GetValue<string>());
            Assert.Equal("claude-sonnet-4-20250514", chunk["model"]!.GetValue<string>());
            Assert.True(chunk["created"]!.GetValue<long>() > 0);
        });
        Assert.Equal(["", "4200 + 42 =", " 4242"], chunks.Where(c => c.HasChoices).Select(c => JsonNode.Parse(c.Json)!["choices"]![0]!["delta"]!["content"]?.GetValue<string>()).OfType<string>());
    }

    [Fact]
    public async Task Anthropic_ToolUseDeltas_ReassembleIdenticalArguments()
    {
        var recorded = RecordedAnthropicStream.Load(ToolUse).ToolUses();

        var calls = new TranslatedStream(await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(ToolUse)))).ToolCalls();

        Assert.Equal(2, recorded.Count);
        Assert.Equal(recorded.Select((r, i) => (i, r.Id, r.Name, r.Json)), calls);
        Assert.All(calls, c => JsonNode.Parse(c.Arguments));
        Assert.Equal("""{"password": "mellon"}""", calls[0].Arguments);
    }

    [Fact]
    public async Task Anthropic_ToolCallDeltas_HaveIdAndTypeOnlyInTheFirstDelta()
    {
        var chunks = await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(ToolUse)));

        var deltas = chunks.Where(c => c.HasChoices).Select(c => JsonNode.Parse(c.Json)!["choices"]![0]!["delta"]!["tool_calls"]?[0]).OfType<JsonNode>().ToList();
        var firsts = deltas.Where(d => d["id"] is not null).ToList();
        Assert.Equal(2, firsts.Count);
        Assert.All(firsts, d => Assert.Equal("function", d["type"]!.GetValue<string>()));
        Assert.All(firsts, d => Assert.Equal("", d["function"]!["arguments"]!.GetValue<string>()));
        Assert.All(deltas.Except(firsts), d => Assert.Null(d["function"]!["name"]));
    }

    [Fact]
    public async Task Anthropic_Thinking_IsStreamedAsReasoningContent()
    {
        var recorded = RecordedAnthropicStream.Load(Thinking);

        var translated = new TranslatedStream(await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(Thinking))));

        Assert.False(string.IsNullOrEmpty(recorded.Thinking));
        Assert.Equal(recorded.Thinking, translated.Reasoning);
        Assert.DoesNotContain(translated.Chunks, c => c.Json.Contains("signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anthropic_RedactedThinking_IsDropped()
    {
        var translated = new TranslatedStream(await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(RedactedThinking))));

        Assert.Equal("", translated.Reasoning);
        Assert.DoesNotContain(translated.Chunks, c => c.Json.Contains("EqkECkYIBxgCKkA8", StringComparison.Ordinal));
        Assert.StartsWith("I notice that you've sent", translated.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anthropic_OverloadedErrorEvent_EndsTheStreamWithAStreamError()
    {
        var chunk = Assert.Single(await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(Overloaded))));

        Assert.Equal(UpstreamFailureKind.StreamError, chunk.Failure?.Kind);
        Assert.Equal("overloaded_error", chunk.Failure?.Code);
        Assert.Equal("Overloaded", chunk.Failure?.Message);
    }

    [Fact]
    public async Task Anthropic_ErrorEventMidStream_FollowsTheTextAndCarriesUsageSoFar()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(Text));
        var body = events.Take(3).SelectMany(e => e).Concat(Fixtures.Bytes(Overloaded)).ToArray();

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(3, chunks.Count); // role, "4200 + 42 =", error
        Assert.Equal("overloaded_error", chunks[^1].Failure?.Code);
        Assert.Equal(17, chunks[^1].Usage?.PromptTokens);
        Assert.True(chunks[^1].Usage?.IsEstimated);
        Assert.Equal(3, chunks[^1].Usage?.CompletionTokens); // 11 characters relayed, about 4 a token
    }

    [Theory]
    [MemberData(nameof(CompleteStreams))]
    public async Task Stream_TrickledOneByteAtATime_YieldsTheSameChunks(string fixture, string finishReason)
    {
        var bytes = Fixtures.Bytes(fixture);
        var whole = await StreamAsync(ReplayHandler.Sse(bytes));

        var trickled = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => TrickleStream.OneByte(bytes), "text/event-stream"));

        Assert.Equal(whole.Select(c => c.Json), trickled.Select(c => c.Json));
        Assert.Contains(finishReason, trickled[^2].Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Text)]
    [InlineData(ToolUse)]
    [InlineData(Thinking)]
    [InlineData(RedactedThinking)]
    [InlineData(MaxTokens)]
    [InlineData(Overloaded)]
    public async Task Stream_CutAtAnyByte_NeverThrowsAndEndsCompleteOrWithAFailure(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);
        var whole = (await StreamAsync(ReplayHandler.Sse(bytes))).Select(c => c.Json).ToList();

        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var length = cut;
            var chunks = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => new MemoryStream(bytes, 0, length, writable: false), "text/event-stream"));

            Assert.True(chunks.Count > 0, $"cut at {cut}: nothing at all");
            if (chunks[^1].Failure is not { } failure)
            {
                // Only the blank line after the last event is missing: the answer is whole.
                Assert.True(whole.SequenceEqual(chunks.Select(c => c.Json)), $"cut at {cut}: ended without a failure but incomplete");
                continue;
            }

            Assert.True(failure.Kind is UpstreamFailureKind.Reset or UpstreamFailureKind.ProtocolError or UpstreamFailureKind.StreamError, $"cut at {cut}: {failure.Kind}");
            Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
            var relayed = chunks.SkipLast(1).Select(c => c.Json).ToList();
            Assert.True(relayed.SequenceEqual(whole.Take(relayed.Count)), $"cut at {cut}: relayed chunks differ from the whole stream's");
            Assert.DoesNotContain(relayed, json => json.Contains("\"finish_reason\":\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Stream_CutAfterMessageDelta_IsStillIncomplete_ButUsageIsExact()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(Text));
        var body = events.SkipLast(1).SelectMany(e => e).ToArray(); // everything but message_stop

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(UpstreamFailureKind.Reset, chunks[^1].Failure?.Kind);
        Assert.Equal(15, chunks[^1].Usage?.CompletionTokens);
        Assert.False(chunks[^1].Usage?.IsEstimated);
    }

    [Fact]
    public async Task Stream_EmptyBody_EndsWithResetAndNoUsage()
    {
        var chunk = Assert.Single(await StreamAsync(ReplayHandler.Sse([])));

        Assert.Equal(UpstreamFailureKind.Reset, chunk.Failure?.Kind);
        Assert.Null(chunk.Usage);
    }

    [Fact]
    public async Task Stream_MalformedEvent_EndsWithAProtocolError()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(Text));
        var body = events.Take(2).SelectMany(e => e).Concat(Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"ind\n\n")).ToArray();

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(2, chunks.Count);
        Assert.Equal(UpstreamFailureKind.ProtocolError, chunks[^1].Failure?.Kind);
    }

    [Fact]
    public async Task Stream_ToolWithoutParameters_GetsEmptyObjectArguments()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(
            SseEvent("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}"""),
            SseEvent("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"now","input":{}}}"""),
            SseEvent("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}"""),
            SseEvent("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            SseEvent("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"""),
            SseEvent("message_stop", """{"type":"message_stop"}""")));

        var calls = new TranslatedStream(await StreamAsync(ReplayHandler.Sse(body))).ToolCalls();

        Assert.Equal([(0, "toolu_1", "now", "{}")], calls);
    }

    [Fact]
    public async Task Stream_CacheCounts_AreAddedToPromptTokensAndReadsReportedAsCached()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(
            SseEvent("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":5,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}"""),
            SseEvent("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"""),
            SseEvent("message_stop", """{"type":"message_stop"}""")));

        var usage = (await StreamAsync(ReplayHandler.Sse(body)))[^1].Usage!;

        Assert.Equal(2105, usage.PromptTokens);
        Assert.Equal(2000, usage.PromptTokensDetails?.CachedTokens);
        Assert.Equal(9, usage.CompletionTokens);
        Assert.Equal(2114, usage.TotalTokens);
    }

    [Fact]
    public async Task Stream_EnumeratedToTheEnd_DisposesTheUpstreamResponse()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(Text));

        await StreamAsync(handler);

        Assert.False(Assert.Single(handler.Bodies).CanRead);
    }

    [Fact]
    public async Task Stream_NeverEnumerated_StillDisposesTheUpstreamResponse()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(Text));
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        await result.Chunks!.GetAsyncEnumerator().DisposeAsync();

        Assert.False(handler.Bodies[0].CanRead);
    }

    internal static string SseEvent(string type, string json) => $"event: {type}\ndata: {json}\n\n";
}
