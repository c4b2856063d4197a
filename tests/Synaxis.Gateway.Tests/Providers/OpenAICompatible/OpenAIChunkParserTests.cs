using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>
/// The stream reading path over recorded provider bytes: however the network splits them, the same
/// chunks come out, byte for byte, and the parser tells the end, usage, errors and finish apart.
/// </summary>
public sealed class OpenAIChunkParserTests
{
    public static TheoryData<string> OpenAIFormatStreams =>
    [
        "openai/chat-stream-finish-length.sse",
        "openai/chat-stream-include-usage.sse",
        "openai/chat-stream-parallel-tool-calls.sse",
        "openai/chat-stream-refusal.sse",
        "openai/chat-stream-text.sse",
        "openai/chat-stream-tool-call.sse",
        "openrouter/chat-stream-processing-comments-reasoning-midstream-error.sse",
        "openrouter/chat-stream-processing-comments-usage.sse",
        "groq/chat-stream-midstream-error-tool-use-failed.sse",
        "groq/chat-stream-reasoning-tool-call-x-groq-usage.sse",
        "azure/chat-stream-legacy-2023-07-01-preview-function-call.sse",
        "azure/chat-stream-text-content-filter.sse",
        "azure/chat-stream-v1-include-usage.sse",
        "azure/chat-stream-v1-tool-calls.sse",
        "deepseek/chat-stream-reasoning-content.sse",
        "ollama/v1-chat-stream-reasoning-include-usage.sse",
        "mistral/chat-stream-magistral-thinking-content-array.sse",
    ];

    [Theory]
    [MemberData(nameof(OpenAIFormatStreams))]
    public async Task Fixture_ReadOneByteAtATime_GivesTheSameEventsAsReadWhole(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var whole = await ParsedStream.ParseAsync(new MemoryStream(bytes));
        var trickled = await ParsedStream.ParseAsync(TrickleStream.OneByte(bytes));

        Assert.NotEmpty(whole);
        Assert.Equal(whole.Select(e => e.Describe()), trickled.Select(e => e.Describe()));
    }

    [Theory]
    [MemberData(nameof(OpenAIFormatStreams))]
    public async Task Fixture_ReadInRandomSizes_GivesTheSameEventsAsReadWhole(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);
        var whole = (await ParsedStream.ParseAsync(new MemoryStream(bytes))).Select(e => e.Describe()).ToList();

        for (var seed = 1; seed <= 5; seed++)
        {
            var random = await ParsedStream.ParseAsync(TrickleStream.RandomSizes(bytes, seed));
            Assert.Equal(whole, random.Select(e => e.Describe()));
        }
    }

    [Theory]
    [MemberData(nameof(OpenAIFormatStreams))]
    public async Task Fixture_TrickledChunks_AreTheFilesDataPayloadsByteForByte(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(bytes));

        var relayed = items.Where(e => e.Kind == ParsedEventKind.Chunk && e.Failure is null).Select(e => e.Json).ToList();
        var payloads = ParsedStream.DataPayloads(bytes).Where(p => !IsErrorPayload(p)).ToList();
        Assert.Equal(payloads, relayed);
        Assert.Equal(ParsedStream.Content(payloads), ParsedStream.Content(relayed));
    }

    [Fact]
    public async Task Fixture_ContentOfAllChunks_SpellsTheRecordedAnswer()
    {
        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(Fixtures.Bytes("openai/chat-stream-include-usage.sse")));

        Assert.Equal("4200 + 42 equals 4242.", ParsedStream.Content(items.Select(e => e.Json).Where(j => j.Length > 0)));
    }

    [Fact]
    public async Task Comments_AreSkipped()
    {
        var bytes = Fixtures.Bytes("openrouter/chat-stream-processing-comments-usage.sse");
        Assert.Contains(": OPENROUTER PROCESSING", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(bytes));

        Assert.Equal(ParsedStream.DataPayloads(bytes).Count + 1, items.Count); // + [DONE]
        Assert.All(items.SkipLast(1), e => Assert.StartsWith("{\"id\":\"gen-", e.Json, StringComparison.Ordinal));
        Assert.Equal(ParsedEventKind.Done, items[^1].Kind);
    }

    [Fact]
    public async Task MultiLineData_IsJoinedWithANewline()
    {
        var body = "data: {\"choices\":[{\"index\":0,\ndata: \"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"u8.ToArray();

        var item = Assert.Single(await ParsedStream.ParseAsync(TrickleStream.OneByte(body)));

        Assert.Null(item.Failure);
        Assert.Equal("{\"choices\":[{\"index\":0,\n\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}", item.Json);
        Assert.Equal("hi", ParsedStream.Content([item.Json]));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task OtherLineEndings_ParseLikeLf(string lineEnding)
    {
        var lf = Fixtures.Bytes("openai/chat-stream-include-usage.sse");
        var other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(lf).Replace("\n", lineEnding, StringComparison.Ordinal));

        var expected = await ParsedStream.ParseAsync(new MemoryStream(lf));
        var actual = await ParsedStream.ParseAsync(TrickleStream.OneByte(other));

        Assert.Equal(expected.Select(e => e.Describe()), actual.Select(e => e.Describe()));
    }

    [Fact]
    public async Task MultiByteCharacters_SplitAcrossReads_ArriveWhole()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(
            Event("""{"choices":[{"index":0,"delta":{"role":"assistant","content":"é"},"finish_reason":null}]}"""),
            Event("""{"choices":[{"index":0,"delta":{"content":"日本"},"finish_reason":null}]}"""),
            Event("""{"choices":[{"index":0,"delta":{"content":"🙂 ok"},"finish_reason":"stop"}]}"""),
            "data: [DONE]\n\n"));

        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(body));

        Assert.Equal("é日本🙂 ok", ParsedStream.Content(items.Where(e => e.Kind == ParsedEventKind.Chunk).Select(e => e.Json)));
        Assert.Equal(ParsedStream.DataPayloads(body), items.Where(e => e.Kind == ParsedEventKind.Chunk).Select(e => e.Json));
    }

    [Fact]
    public async Task DoneSentinel_IsDone()
    {
        var items = await ParsedStream.ParseAsync(new MemoryStream(Fixtures.Bytes("openai/chat-stream-text.sse")));

        Assert.Equal(ParsedEventKind.Done, items[^1].Kind);
        Assert.Single(items, e => e.Kind == ParsedEventKind.Done);
    }

    [Fact]
    public async Task UsageOnlyChunk_HasNoChoicesAndCarriesTheRecordedUsage()
    {
        var bytes = Fixtures.Bytes("openai/chat-stream-include-usage.sse");
        var recorded = JsonNode.Parse(ParsedStream.DataPayloads(bytes)[^1])!["usage"]!;

        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(bytes));

        var usageChunk = items[^2];
        Assert.False(usageChunk.HasChoices);
        Assert.NotNull(usageChunk.Usage);
        Assert.Equal(recorded["prompt_tokens"]!.GetValue<int>(), usageChunk.Usage.PromptTokens);
        Assert.Equal(recorded["completion_tokens"]!.GetValue<int>(), usageChunk.Usage.CompletionTokens);
        Assert.Equal(recorded["total_tokens"]!.GetValue<int>(), usageChunk.Usage.TotalTokens);
        Assert.Equal(0, usageChunk.Usage.PromptTokensDetails!.CachedTokens);
        Assert.All(items.SkipLast(2), e =>
        {
            Assert.True(e.HasChoices);
            Assert.Null(e.Usage); // "usage":null on every earlier chunk
        });
    }

    [Fact]
    public async Task ErrorEvent_IsAStreamErrorWithTheUpstreamsMessage()
    {
        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(Fixtures.Bytes("groq/chat-stream-midstream-error-tool-use-failed.sse")));

        var last = items[^1];
        Assert.Equal("error", last.EventType);
        Assert.NotNull(last.Failure);
        Assert.Equal(UpstreamFailureKind.StreamError, last.Failure.Kind);
        Assert.StartsWith("Tool call validation failed: tool call validation failed: parameters for tool get_something_by_name", last.Failure.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", last.Failure.Type);
        Assert.Equal("tool_use_failed", last.Failure.Code);
        Assert.All(items.SkipLast(1), e => Assert.Null(e.Failure));
    }

    [Fact]
    public async Task ChunkWithTopLevelError_IsAStreamErrorThatKeepsItsUsage()
    {
        var items = await ParsedStream.ParseAsync(TrickleStream.OneByte(Fixtures.Bytes("openrouter/chat-stream-processing-comments-reasoning-midstream-error.sse")));

        var failed = Assert.Single(items, e => e.Failure is not null);
        Assert.Equal(UpstreamFailureKind.StreamError, failed.Failure!.Kind);
        Assert.Equal("Token limit reached", failed.Failure.Message);
        Assert.Equal("400", failed.Failure.Code); // OpenRouter sends the code as a number
        Assert.Equal(43, failed.Usage!.PromptTokens);
        Assert.Equal(10, failed.Usage.CompletionTokens);
    }

    [Theory]
    [InlineData("""{"choices":[""")]
    [InlineData("""{"choices":[]""")]
    [InlineData("""[{"choices":[]}]""")]
    [InlineData("""{"choices":[]} trailing""")]
    [InlineData("""{"choices":[]}{"choices":[]}""")]
    [InlineData("""{"a":}""")]
    [InlineData("not json")]
    [InlineData("42")]
    public async Task MalformedEvent_IsAProtocolError(string data)
    {
        var item = Assert.Single(await ParsedStream.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(Event(data)))));

        Assert.Equal(ParsedEventKind.Chunk, item.Kind);
        Assert.Equal(UpstreamFailureKind.ProtocolError, item.Failure?.Kind);
    }

    [Fact]
    public async Task SawFinishReason_BecomesTrueOnTheFinishChunk()
    {
        var items = await ParsedStream.ParseAsync(new MemoryStream(Fixtures.Bytes("openai/chat-stream-include-usage.sse")));

        var finish = items.FindIndex(e => e.Json.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
        Assert.True(finish > 0);
        Assert.All(items.Take(finish), e => Assert.False(e.SawFinishReason));
        Assert.All(items.Skip(finish), e => Assert.True(e.SawFinishReason));
    }

    [Fact]
    public void ErrorEventWithoutAnErrorObject_IsStillAStreamError()
    {
        using var parser = new OpenAIChunkParser();

        var parsed = parser.Parse("error", """{"message":"overloaded"}"""u8);

        Assert.Equal(UpstreamFailureKind.StreamError, parsed.Chunk.Failure?.Kind);
    }

    [Fact]
    public void ErrorAsAString_IsAStreamErrorWithThatMessage()
    {
        using var parser = new OpenAIChunkParser();

        var parsed = parser.Parse("message", """{"error":"upstream exploded"}"""u8);

        Assert.Equal(UpstreamFailureKind.StreamError, parsed.Chunk.Failure?.Kind);
        Assert.Equal("upstream exploded", parsed.Chunk.Failure?.Message);
    }

    [Fact]
    public void NullError_IsNotAFailure()
    {
        using var parser = new OpenAIChunkParser();

        var parsed = parser.Parse("message", """{"choices":[{"index":0,"delta":{"content":"x"}}],"error":null}"""u8);

        Assert.Null(parsed.Chunk.Failure);
        Assert.True(parsed.Chunk.HasChoices);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\n")]
    public void BlankData_IsIgnored(string data)
    {
        using var parser = new OpenAIChunkParser();

        Assert.Equal(ParsedEventKind.Ignored, parser.Parse("message", Encoding.UTF8.GetBytes(data)).Kind);
    }

    [Fact]
    public async Task EventLargerThanTheBuffer_IsRelayedWhole_AndSmallerOnesAfterIt()
    {
        var large = $$"""{"choices":[{"index":0,"delta":{"content":"{{new string('x', 20_000)}}"},"finish_reason":null}]}""";
        var small = """{"choices":[{"index":0,"delta":{"content":"y"},"finish_reason":"stop"}]}""";
        var body = Encoding.UTF8.GetBytes(Event(small) + Event(large) + Event(small));

        var items = await ParsedStream.ParseAsync(TrickleStream.RandomSizes(body, seed: 7, maxRead: 4000));

        Assert.Equal([small, large, small], items.Select(e => e.Json));
    }

    private static string Event(string data) => $"data: {data}\n\n";

    private static bool IsErrorPayload(string payload) => JsonNode.Parse(payload)?["error"] is not null;
}
