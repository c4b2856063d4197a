using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Http.Messages;

/// <summary>Recorded OpenAI-format streams, written as Anthropic events, reassemble as the Anthropic SDKs do.</summary>
public sealed class MessagesEventWriterTests
{
    /// <summary>The events for every <c>data:</c> chunk of a recorded OpenAI-format stream, then the end.</summary>
    internal static List<(string Type, JsonObject Data)> Translate(IEnumerable<string> chunks, bool done = true)
    {
        using var writer = new MessagesEventWriter("fallback-model");
        var output = new List<AnthropicEvent>();
        foreach (var chunk in chunks)
        {
            writer.Chunk(Encoding.UTF8.GetBytes(chunk), output);
        }

        if (done)
        {
            writer.Done(output);
        }

        return output.Select(e => (Encoding.UTF8.GetString(e.Type), JsonNode.Parse(e.Data)!.AsObject())).ToList();
    }

    internal static List<string> Recorded(string fixture) =>
        File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l[6..]).ToList();

    private static string Content(string fixture, string field) => string.Concat(Recorded(fixture)
        .Select(c => JsonNode.Parse(c)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?[field])
        .OfType<JsonValue>().Select(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : ""));

    [Theory]
    [InlineData("openai/chat-stream-text.sse", "end_turn")]
    [InlineData("openai/chat-stream-include-usage.sse", "end_turn")]
    [InlineData("openai/chat-stream-finish-length.sse", "max_tokens")]
    public void TextStream_BecomesOneTextBlockWithTheSameText(string fixture, string stopReason)
    {
        var events = Translate(Recorded(fixture));

        Assert.Equal("message_start", events[0].Type);
        Assert.Equal("""{"type":"text","text":""}""", events[1].Data["content_block"]!.ToJsonString());
        Assert.Equal(Content(fixture, "content"), string.Concat(events.Where(e => e.Type == "content_block_delta").Select(e => e.Data["delta"]!["text"]!.GetValue<string>())));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Type));
        Assert.Equal(stopReason, events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.All(events.Where(e => e.Type.StartsWith("content_block", StringComparison.Ordinal)), e => Assert.Equal(0, e.Data["index"]!.GetValue<int>()));
    }

    [Fact]
    public void UsageChunk_GivesMessageDeltaTheCounts()
    {
        var events = Translate(Recorded("openai/chat-stream-include-usage.sse"));

        Assert.Equal("""{"input_tokens":16,"cache_read_input_tokens":0,"output_tokens":10}""", events[^2].Data["usage"]!.ToJsonString());
        var recordedId = JsonNode.Parse(Recorded("openai/chat-stream-include-usage.sse")[0])!["id"]!.GetValue<string>();
        Assert.Equal(recordedId, events[0].Data["message"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void ParallelToolCalls_BecomeToolUseBlocksInOrderWithTheirArguments()
    {
        const string fixture = "openai/chat-stream-parallel-tool-calls.sse";
        var events = Translate(Recorded(fixture));

        var starts = events.Where(e => e.Type == "content_block_start").Select(e => e.Data).ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal([0, 1], starts.Select(s => s["index"]!.GetValue<int>()));
        Assert.All(starts, s => Assert.Equal("tool_use", s["content_block"]!["type"]!.GetValue<string>()));
        Assert.All(starts, s => Assert.Equal("{}", s["content_block"]!["input"]!.ToJsonString()));
        var recordedCalls = Recorded(fixture).SelectMany(c => JsonNode.Parse(c)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?.AsArray() ?? [])
            .GroupBy(c => c!["index"]!.GetValue<int>()).Select(g => string.Concat(g.Select(c => c!["function"]?["arguments"]?.GetValue<string>()))).ToList();
        var arguments = starts.Select(s => string.Concat(events.Where(e => e.Type == "content_block_delta" && e.Data["index"]!.GetValue<int>() == s["index"]!.GetValue<int>())
            .Select(e => e.Data["delta"]!["partial_json"]!.GetValue<string>()))).ToList();
        Assert.Equal(recordedCalls, arguments);
        Assert.Equal("tool_use", events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void ReasoningContent_BecomesAThinkingBlockBeforeTheText()
    {
        const string fixture = "deepseek/chat-stream-reasoning-content.sse";
        var events = Translate(Recorded(fixture));

        var starts = events.Where(e => e.Type == "content_block_start").Select(e => e.Data["content_block"]!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["thinking", "text"], starts);
        Assert.Equal(Content(fixture, "reasoning_content"), string.Concat(events.Where(e => e.Data["delta"]?["type"]?.GetValue<string>() == "thinking_delta").Select(e => e.Data["delta"]!["thinking"]!.GetValue<string>())));
        Assert.Equal(Content(fixture, "content"), string.Concat(events.Where(e => e.Data["delta"]?["type"]?.GetValue<string>() == "text_delta").Select(e => e.Data["delta"]!["text"]!.GetValue<string>())));
    }

    [Fact]
    public void NothingButDone_StillGivesAWholeEmptyMessage()
    {
        var events = Translate([]);

        Assert.Equal(["message_start", "message_delta", "message_stop"], events.Select(e => e.Type));
        Assert.Equal("fallback-model", events[0].Data["message"]!["model"]!.GetValue<string>());
        Assert.Equal("end_turn", events[1].Data["delta"]!["stop_reason"]!.GetValue<string>());
    }
}
