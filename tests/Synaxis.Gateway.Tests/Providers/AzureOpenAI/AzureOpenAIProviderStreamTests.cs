using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.AzureOpenAI.AzureHarness;

namespace Synaxis.Gateway.Tests.Providers.AzureOpenAI;

/// <summary>
/// Azure's recorded streams through the provider: every chunk but the prompt-filter annotation comes out
/// byte for byte, the text and tool arguments reassemble exactly, usage is always known, and a stream cut
/// anywhere ends with a failure instead of passing for complete.
/// </summary>
public sealed class AzureOpenAIProviderStreamTests
{
    private const string IncludeUsage = "azure/chat-stream-v1-include-usage.sse";
    private const string ToolCalls = "azure/chat-stream-v1-tool-calls.sse";
    private const string NoUsage = "azure/chat-stream-text-content-filter.sse";
    private const string Legacy = "azure/chat-stream-legacy-2023-07-01-preview-function-call.sse";

    public static TheoryData<string> AzureStreams => [IncludeUsage, ToolCalls, NoUsage, Legacy];

    [Theory]
    [MemberData(nameof(AzureStreams))]
    public async Task Stream_RelaysEveryChunkButThePromptFilterAnnotation_ByteForByte(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var chunks = await StreamAsync(ReplayHandler.Sse(bytes));

        var payloads = ParsedStream.DataPayloadBytes(bytes);
        Assert.Contains("_results", Encoding.UTF8.GetString(payloads[0]), StringComparison.Ordinal); // prompt_filter_results or the legacy prompt_annotations
        var upstreamChunks = chunks.Where(c => c.Usage?.IsEstimated != true).ToList();
        Assert.Equal(payloads.Skip(1), upstreamChunks.Select(c => c.Bytes));
        Assert.All(chunks, c => Assert.Null(c.Failure));
    }

    [Theory]
    [MemberData(nameof(AzureStreams))]
    public async Task Stream_TrickledOneByteAtATime_YieldsTheSameChunks(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var whole = await StreamAsync(ReplayHandler.Sse(bytes));
        var trickled = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => TrickleStream.OneByte(bytes), "text/event-stream"));

        Assert.Equal(whole.Select(c => c.Json), trickled.Select(c => c.Json));
    }

    [Theory]
    [MemberData(nameof(AzureStreams))]
    public async Task Stream_IsAWellFormedChunkStream_WhoseTextIsTheUpstreams(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var answer = AssembledAnswer.From((await StreamAsync(ReplayHandler.Sse(bytes))).Select(c => c.Json));

        Assert.Empty(answer.Problems);
        Assert.Equal(ParsedStream.Content(ParsedStream.DataPayloads(bytes)), answer[0].Content.ToString());
        Assert.NotNull(answer.Usage);
    }

    [Fact]
    public async Task Stream_WithUsage_ReportsAzuresCounts()
    {
        var chunks = await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(IncludeUsage)));

        var answer = AssembledAnswer.From(chunks.Select(c => c.Json));
        Assert.Equal("4242", answer[0].Content.ToString());
        Assert.Equal("stop", answer[0].FinishReason);
        var usage = chunks[^1].Usage!;
        Assert.Equal((15, 12, 27, false), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.IsEstimated));
        Assert.Equal(0, usage.PromptTokensDetails?.CachedTokens);
    }

    [Fact]
    public async Task Stream_WithoutUsage_EndsWithAnEstimatedUsageChunk()
    {
        var chunks = await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(NoUsage)));

        var last = chunks[^1];
        Assert.False(last.HasChoices);
        Assert.True(last.Usage!.IsEstimated);
        Assert.Equal(3, last.Usage.CompletionTokens); // "Hallo Welt!": 11 characters
        Assert.Equal("chatcmpl-BleatwEUn3D8iXsgXpDqeOPEMuW3j", JsonNode.Parse(last.Json)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_ToolCalls_ReassembleIntoTheUpstreamsArguments()
    {
        var bytes = Fixtures.Bytes(ToolCalls);

        var answer = AssembledAnswer.From((await StreamAsync(ReplayHandler.Sse(bytes))).Select(c => c.Json));

        var calls = answer[0].ToolCalls.Values.ToList();
        Assert.Equal(["call_4s1nlF3xq4NWXBHiH3E7rp02", "call_UVStvPttJpsLDHGQ7UIeAZLK"], calls.Select(c => c.Id));
        Assert.All(calls, c => Assert.Equal("secret_retrieval_tool", c.Name));
        Assert.Equal(RecordedArguments(bytes), calls.Select(c => c.Arguments.ToString()));
        Assert.All(calls, c => Assert.NotNull(JsonNode.Parse(c.Arguments.ToString())));
        Assert.Equal("tool_calls", answer[0].FinishReason);
    }

    [Fact]
    public async Task Stream_LegacyFunctionCall_PassesThroughAsFunctionCall_WithArgumentsReassembled()
    {
        var answer = AssembledAnswer.From((await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(Legacy)))).Select(c => c.Json));

        Assert.Equal("get_future_temperature", answer[0].FunctionName);
        var arguments = JsonNode.Parse(answer[0].FunctionArguments.ToString())!;
        Assert.Equal("Honolulu", arguments["locationName"]!.GetValue<string>());
        Assert.Equal("function_call", answer[0].FinishReason);
    }

    [Fact]
    public async Task Stream_ContentFilterFinish_PassesThrough()
    {
        var events = SseFixture.SplitEvents(Fixtures.Bytes(NoUsage));
        var filtered = Encoding.UTF8.GetString(events[^2]).Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"content_filter\"", StringComparison.Ordinal);
        var body = events.Take(events.Count - 2).Append(Encoding.UTF8.GetBytes(filtered)).Append(events[^1]).SelectMany(e => e).ToArray();

        var answer = AssembledAnswer.From((await StreamAsync(ReplayHandler.Sse(body))).Select(c => c.Json));

        Assert.Equal("content_filter", answer[0].FinishReason);
        Assert.Empty(answer.Problems);
    }

    [Theory]
    [MemberData(nameof(AzureStreams))]
    public async Task Stream_CutAtEveryByte_NeverThrows_AndEndsCompleteOrWithAFailure(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);
        var payloads = ParsedStream.DataPayloads(bytes).Skip(1).ToList();
        var finishIndex = payloads.FindIndex(p => p.Contains("\"finish_reason\":\"", StringComparison.Ordinal));

        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var length = cut;
            var chunks = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => new MemoryStream(bytes, 0, length, writable: false), "text/event-stream"));

            var relayed = chunks.Where(c => c.Failure is null && c.Usage?.IsEstimated != true).Select(c => c.Json).ToList();
            Assert.True(relayed.SequenceEqual(payloads.Take(relayed.Count)), $"cut at {cut}: relayed chunks differ from the recording");
            Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
            Assert.NotEmpty(chunks);
            if (chunks[^1].Failure is { } failure)
            {
                Assert.True(failure.Kind is UpstreamFailureKind.Reset or UpstreamFailureKind.ProtocolError, $"cut at {cut}: {failure.Kind}");
                Assert.Equal(502, UpstreamErrors.ToApiError(failure, "gpt-4o").Status);
            }
            else
            {
                Assert.True(relayed.Count > finishIndex, $"cut at {cut}: ended without failure before the finish chunk");
                Assert.NotNull(chunks[^1].Usage);
            }
        }
    }

    /// <summary>Each tool call's arguments, read straight from the recorded data lines.</summary>
    private static List<string> RecordedArguments(byte[] bytes)
    {
        var arguments = new SortedDictionary<int, StringBuilder>();
        foreach (var payload in ParsedStream.DataPayloads(bytes))
        {
            foreach (var choice in JsonNode.Parse(payload)!["choices"]!.AsArray())
            {
                foreach (var call in choice!["delta"]?["tool_calls"]?.AsArray() ?? [])
                {
                    var index = call!["index"]!.GetValue<int>();
                    (arguments.TryGetValue(index, out var text) ? text : arguments[index] = new StringBuilder())
                        .Append(call["function"]?["arguments"]?.GetValue<string>());
                }
            }
        }

        return arguments.Values.Select(a => a.ToString()).ToList();
    }

    private static async Task<List<CollectedChunk>> StreamAsync(ReplayHandler handler)
    {
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);
        Assert.Null(result.Failure);
        return await ProviderHarness.CollectAsync(result.Chunks!);
    }
}
