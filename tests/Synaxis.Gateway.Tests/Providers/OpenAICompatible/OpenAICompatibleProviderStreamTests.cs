using System.Net;
using System.Text;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.OpenAICompatible.ProviderHarness;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>
/// A streamed answer through the provider: upstream chunks come out byte for byte, an unfinished stream
/// ends with a failure instead of passing for complete, and the upstream response is always released.
/// </summary>
public sealed class OpenAICompatibleProviderStreamTests
{
    private const string IncludeUsage = "openai/chat-stream-include-usage.sse";

    public static TheoryData<string> OpenAIStreams =>
    [
        "openai/chat-stream-finish-length.sse",
        IncludeUsage,
        "openai/chat-stream-parallel-tool-calls.sse",
        "openai/chat-stream-refusal.sse",
        "openai/chat-stream-text.sse",
        "openai/chat-stream-tool-call.sse",
    ];

    [Theory]
    [MemberData(nameof(OpenAIStreams))]
    public async Task Stream_YieldsTheFixturesDataPayloadsExactly(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var chunks = await StreamAsync(ReplayHandler.Sse(bytes));

        var payloads = ParsedStream.DataPayloadBytes(bytes);
        Assert.Equal(ParsedStream.DataPayloads(bytes).Count, payloads.Count);
        Assert.Equal(payloads, chunks.Select(c => c.Bytes));
        Assert.All(chunks, c => Assert.Null(c.Failure));
    }

    [Theory]
    [MemberData(nameof(OpenAIStreams))]
    public async Task Stream_TrickledByTheUpstream_YieldsTheSameChunks(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);
        var handler = new ReplayHandler(HttpStatusCode.OK, () => TrickleStream.OneByte(bytes), "text/event-stream");

        var chunks = await StreamAsync(handler);

        Assert.Equal(ParsedStream.DataPayloadBytes(bytes), chunks.Select(c => c.Bytes));
    }

    [Fact]
    public async Task Stream_CutAtAnyByte_EndsCompleteOrWithAResetOrProtocolError()
    {
        var bytes = Fixtures.Bytes(IncludeUsage);
        var payloads = ParsedStream.DataPayloads(bytes);
        var finishIndex = payloads.FindIndex(p => p.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var length = cut;
            var handler = new ReplayHandler(HttpStatusCode.OK, () => new MemoryStream(bytes, 0, length, writable: false), "text/event-stream");

            var chunks = await StreamAsync(handler); // must not throw, whatever the cut

            var relayed = chunks.Where(c => c.Failure is null && c.Usage?.IsEstimated != true).Select(c => c.Json).ToList();
            Assert.True(relayed.SequenceEqual(payloads.Take(relayed.Count)), $"cut at {cut}: relayed chunks differ from the recording");
            Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
            if (chunks.Count > 0 && chunks[^1].Failure is { } failure)
            {
                Assert.True(failure.Kind is UpstreamFailureKind.Reset or UpstreamFailureKind.ProtocolError, $"cut at {cut}: {failure.Kind}");
            }
            else
            {
                Assert.True(relayed.Count > finishIndex, $"cut at {cut}: ended without failure before the finish chunk");
                Assert.NotNull(chunks[^1].Usage); // cut before the usage chunk: the gateway estimated it
            }
        }
    }

    [Fact]
    public async Task Stream_CutBeforeTheFinishChunk_EndsWithReset()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(IncludeUsage));
        var body = events.Take(4).SelectMany(e => e).ToArray();

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(5, chunks.Count);
        Assert.Equal(UpstreamFailureKind.Reset, chunks[^1].Failure?.Kind);
    }

    [Fact]
    public async Task Stream_WithoutDoneButFinished_IsComplete()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(IncludeUsage));
        var body = events.SkipLast(1).SelectMany(e => e).ToArray(); // everything but "data: [DONE]"

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(events.Count - 1, chunks.Count);
        Assert.All(chunks, c => Assert.Null(c.Failure));
        Assert.Equal(26, chunks[^1].Usage?.TotalTokens);
    }

    [Fact]
    public async Task Stream_FinishedWithoutUsage_EndsWithAnEstimatedUsageChunk()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(IncludeUsage));
        var body = events.Take(events.Count - 2).Append("data: [DONE]\n\n"u8.ToArray()).SelectMany(e => e).ToArray(); // no usage chunk

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        var usage = chunks[^1];
        Assert.False(usage.HasChoices);
        Assert.NotNull(usage.Usage);
        Assert.True(usage.Usage.IsEstimated);
        Assert.Equal((ParsedStream.Content(chunks.Select(c => c.Json)).Length + 3) / 4, usage.Usage.CompletionTokens);
        var json = System.Text.Json.Nodes.JsonNode.Parse(usage.Json)!;
        Assert.Equal("chatcmpl-CoDWl5rS0pF10P0W0TDVgY3NA26dk", json["id"]!.GetValue<string>());
        Assert.Equal("chat.completion.chunk", json["object"]!.GetValue<string>());
        Assert.Empty(json["choices"]!.AsArray());
        Assert.Equal(usage.Usage.CompletionTokens, json["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_EmptyBody_EndsWithReset()
    {
        var chunk = Assert.Single(await StreamAsync(ReplayHandler.Sse([])));

        Assert.Equal(UpstreamFailureKind.Reset, chunk.Failure?.Kind);
    }

    [Fact]
    public async Task Stream_ErrorEvent_EndsTheStreamWithAStreamError()
    {
        var bytes = Fixtures.Bytes("groq/chat-stream-midstream-error-tool-use-failed.sse");

        var chunks = await StreamAsync(ReplayHandler.Sse(bytes));

        Assert.Equal(ParsedStream.DataPayloads(bytes).Count, chunks.Count);
        Assert.Equal(UpstreamFailureKind.StreamError, chunks[^1].Failure?.Kind);
        Assert.Equal("tool_use_failed", chunks[^1].Failure?.Code);
    }

    [Fact]
    public async Task Stream_ChunkWithError_IsTheLastChunkEvenThoughMoreFollow()
    {
        var bytes = Fixtures.Bytes("openrouter/chat-stream-processing-comments-reasoning-midstream-error.sse");

        var chunks = await StreamAsync(ReplayHandler.Sse(bytes));

        Assert.Equal("Token limit reached", chunks[^1].Failure?.Message);
        Assert.Equal(53, chunks[^1].Usage?.TotalTokens);
        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
    }

    [Fact]
    public async Task Stream_MalformedEvent_EndsWithAProtocolError()
    {
        var body = Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"ind\n\ndata: {\"choices\":[]}\n\ndata: [DONE]\n\n");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(2, chunks.Count);
        Assert.Equal(UpstreamFailureKind.ProtocolError, chunks[1].Failure?.Kind);
    }

    [Fact]
    public async Task Stream_EnumeratedToTheEnd_DisposesTheUpstreamResponse()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(IncludeUsage));

        await StreamAsync(handler);

        Assert.False(Assert.Single(handler.Bodies).CanRead);
    }

    [Fact]
    public async Task Stream_AbandonedAfterOneChunk_DisposesTheUpstreamResponse()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(IncludeUsage));
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        await using (var chunks = result.Chunks!.GetAsyncEnumerator())
        {
            Assert.True(await chunks.MoveNextAsync());
            Assert.True(handler.Bodies[0].CanRead);
        }

        Assert.False(handler.Bodies[0].CanRead);
    }

    [Fact]
    public async Task Stream_NeverEnumerated_StillDisposesTheUpstreamResponse()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(IncludeUsage));
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        await result.Chunks!.GetAsyncEnumerator().DisposeAsync();

        Assert.False(handler.Bodies[0].CanRead);
    }

    [Fact]
    public async Task Stream_RefusedByTheUpstream_FailsBeforeAnyChunk_AndReleasesTheResponse()
    {
        var handler = new ReplayHandler(HttpStatusCode.TooManyRequests, Fixtures.Bytes("openai/error-429-rate-limit-exceeded.json"));

        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        Assert.Null(result.Chunks);
        Assert.Equal(UpstreamFailureKind.RateLimited, result.Failure?.Kind);
        Assert.False(handler.Bodies[0].CanRead);
    }

    private static async Task<List<CollectedChunk>> StreamAsync(ReplayHandler handler)
    {
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);
        Assert.Null(result.Failure);
        return await CollectAsync(result.Chunks!);
    }
}
