using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Gemini.GeminiHarness;

namespace Synaxis.Gateway.Tests.Providers.Gemini;

/// <summary>
/// Gemini's recorded streams become OpenAI chunk streams: the text, thoughts and function calls of the
/// recording reassemble exactly, finish reasons and usage map, and a stream cut anywhere ends with a failure.
/// </summary>
public sealed class GeminiProviderStreamTests
{
    private const string Text = "gemini/stream-generate-content-text.sse";
    private const string FunctionCall = "gemini/stream-generate-content-function-call.sse";
    private const string MaxTokens = "gemini/stream-generate-content-max-tokens.sse";
    private const string Thinking = "gemini/stream-generate-content-thinking.sse";

    public static TheoryData<string> GeminiStreams => [Text, FunctionCall, MaxTokens, Thinking];

    [Theory]
    [MemberData(nameof(GeminiStreams))]
    public async Task Stream_IsAWellFormedChunkStream_WhoseTextAndThoughtsAreTheUpstreams(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var chunks = await StreamAsync(ReplayHandler.Sse(bytes));

        var answer = AssembledAnswer.From(chunks.Select(c => c.Json));
        Assert.Empty(answer.Problems);
        Assert.All(chunks, c => Assert.Null(c.Failure));
        Assert.Equal(RecordedText(bytes), answer[0].Content.ToString());
        Assert.Equal(RecordedText(bytes, thoughts: true), answer[0].Reasoning.ToString());
        Assert.Equal("chatcmpl-" + RecordedEvents(bytes)[0]["responseId"]!.GetValue<string>(), answer.Id);
        Assert.Equal(1, answer.UsageChunks);
    }

    [Theory]
    [MemberData(nameof(GeminiStreams))]
    public async Task Stream_TrickledOneByteAtATime_YieldsTheSameChunks(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var whole = await StreamAsync(ReplayHandler.Sse(bytes));
        var trickled = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => TrickleStream.OneByte(bytes), "text/event-stream"));

        Assert.Equal(Ids(whole.Select(c => c.Json)), Ids(trickled.Select(c => c.Json)));
    }

    [Theory]
    [InlineData(Text, "stop", 13, 138, 151, 75)]
    [InlineData(MaxTokens, "length", 9, 48, 57, 38)]
    [InlineData(FunctionCall, "tool_calls", 70, 101, 171, 61)]
    [InlineData(Thinking, "stop", 30, 1947, 1977, 1947)]
    public async Task Stream_MapsTheFinishReasonAndUsage_CountingThoughtsAsOutput(string fixture, string finish, int prompt, int completion, int total, int reasoning)
    {
        var chunks = await StreamAsync(ReplayHandler.Sse(Fixtures.Bytes(fixture)));

        Assert.Equal(finish, AssembledAnswer.From(chunks.Select(c => c.Json))[0].FinishReason);
        var usage = chunks[^1].Usage!;
        Assert.False(chunks[^1].HasChoices);
        Assert.Equal((prompt, completion, total, reasoning, false), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.CompletionTokensDetails?.ReasoningTokens, usage.IsEstimated));
    }

    [Fact]
    public async Task Stream_FunctionCalls_BecomeToolCallsWithTheRecordedArguments_AndTheSignatureInTheId()
    {
        var bytes = Fixtures.Bytes(FunctionCall);

        var answer = AssembledAnswer.From((await StreamAsync(ReplayHandler.Sse(bytes))).Select(c => c.Json));

        var parts = RecordedEvents(bytes)[0]["candidates"]![0]!["content"]!["parts"]!.AsArray();
        var calls = answer[0].ToolCalls.Values.ToList();
        Assert.Equal(2, calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(parts[i]!["functionCall"]!["name"]!.GetValue<string>(), calls[i].Name);
            Assert.True(JsonNode.DeepEquals(parts[i]!["functionCall"]!["args"], JsonNode.Parse(calls[i].Arguments.ToString())));
            Assert.StartsWith("call_", calls[i].Id, StringComparison.Ordinal);
        }

        Assert.Equal(parts[0]!["thoughtSignature"]!.GetValue<string>(), GeminiToolCallId.SignatureOf(calls[0].Id));
        Assert.Null(GeminiToolCallId.SignatureOf(calls[1].Id));
        Assert.NotEqual(calls[0].Id, calls[1].Id);
    }

    [Theory]
    [InlineData("SAFETY")]
    [InlineData("PROHIBITED_CONTENT")]
    [InlineData("RECITATION")]
    public async Task Stream_SafetyStop_EndsTheChoiceWithContentFilter(string reason)
    {
        var body = Events(
            """{"candidates": [{"content": {"parts": [{"text": "Here is how"}],"role": "model"},"index": 0}],"responseId": "r1"}""",
            $$"""{"candidates": [{"content": {"parts": [],"role": "model"},"finishReason": "{{reason}}","index": 0}],"usageMetadata": {"promptTokenCount": 9,"candidatesTokenCount": 3,"totalTokenCount": 12},"responseId": "r1"}""");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        var answer = AssembledAnswer.From(chunks.Select(c => c.Json));
        Assert.Empty(answer.Problems);
        Assert.Equal(("Here is how", "content_filter"), (answer[0].Content.ToString(), answer[0].FinishReason));
        Assert.Equal(12, chunks[^1].Usage!.TotalTokens);
    }

    [Fact]
    public async Task Stream_BlockedPrompt_IsAContentFilterAnswer()
    {
        var body = Events("""{"promptFeedback": {"blockReason": "SAFETY"},"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.5-flash","responseId": "r2"}""");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        var answer = AssembledAnswer.From(chunks.Select(c => c.Json));
        Assert.Empty(answer.Problems);
        Assert.Equal(("", "content_filter"), (answer[0].Content.ToString(), answer[0].FinishReason));
        Assert.Equal(8, chunks[^1].Usage!.PromptTokens);
    }

    [Fact]
    public async Task Stream_ErrorEvent_EndsTheStreamWithAStreamError()
    {
        var body = Events(
            """{"candidates": [{"content": {"parts": [{"text": "Partial"}],"role": "model"},"index": 0}],"responseId": "r3"}""",
            """{"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}""");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(2, chunks.Count);
        var failure = chunks[^1].Failure!;
        Assert.Equal((UpstreamFailureKind.StreamError, "unavailable"), (failure.Kind, failure.Code));
        Assert.Equal("The model is overloaded. Please try again later.", UpstreamErrors.ToApiError(failure, "gemini").Message);
    }

    [Fact]
    public async Task Stream_WithoutUsageMetadata_EstimatesUsage()
    {
        var body = Events("""{"candidates": [{"content": {"parts": [{"text": "Twelve chars"}],"role": "model"},"finishReason": "STOP","index": 0}]}""");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.True(chunks[^1].Usage!.IsEstimated);
        Assert.Equal(3, chunks[^1].Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Stream_MalformedEvent_EndsWithAProtocolError()
    {
        var body = Events("""{"candidates": [{"content": {"parts": [{"text": "ok"}],"role": "model"},"index": 0}]}""", """{"candidates": [{"content""");

        var chunks = await StreamAsync(ReplayHandler.Sse(body));

        Assert.Equal(UpstreamFailureKind.ProtocolError, chunks[^1].Failure?.Kind);
    }

    [Theory]
    [MemberData(nameof(GeminiStreams))]
    public async Task Stream_CutAtEveryByte_NeverThrows_AndEndsCompleteOrWithAFailure(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);
        var text = RecordedText(bytes);

        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var length = cut;
            var chunks = await StreamAsync(new ReplayHandler(HttpStatusCode.OK, () => new MemoryStream(bytes, 0, length, writable: false), "text/event-stream"));

            var answer = AssembledAnswer.From(chunks.Where(c => c.Failure is null).Select(c => c.Json));
            Assert.True(answer.Problems.Count == 0, $"cut at {cut}: {string.Join("; ", answer.Problems)}");
            Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
            if (chunks[^1].Failure is { } failure)
            {
                Assert.True(failure.Kind is UpstreamFailureKind.Reset or UpstreamFailureKind.ProtocolError, $"cut at {cut}: {failure.Kind}");
                Assert.StartsWith(answer.Choices.Count > 0 ? answer[0].Content.ToString() : "", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(text, answer[0].Content.ToString()); // complete only when the whole answer arrived
                Assert.NotNull(chunks[^1].Usage);
            }
        }
    }

    private static byte[] Events(params string[] events) =>
        Encoding.UTF8.GetBytes(string.Concat(events.Select(e => "data: " + e + "\r\n\r\n")));

    /// <summary>The chunks with generated tool call ids blanked, so two runs compare equal.</summary>
    private static List<string> Ids(IEnumerable<string> chunks) =>
        chunks.Select(c => System.Text.RegularExpressions.Regex.Replace(c, "\"id\":\"call_[A-Za-z0-9]{24}", "\"id\":\"call_")).ToList();
}
