using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Xunit;

namespace Synaxis.Gateway.Tests.Http.Messages;

/// <summary>
/// Properties of the canonical → Anthropic stream translation of <c>/v1/messages</c>: whatever chunk
/// sequence a provider yields, an Anthropic SDK gets a well-formed event stream that carries it all.
/// </summary>
[Properties(Arbitrary = [typeof(CanonicalChunkGenerators)], MaxTest = 300)]
public sealed class MessagesEventWriterProperties
{
    [Property]
    public void AnyChunkSequence_YieldsAWellFormedAnthropicEventStream(CanonicalChunkSequence sequence)
    {
        var events = MessagesEventWriterTests.Translate(sequence.Chunks);

        Assert.Equal("message_start", events[0].Type);
        Assert.Single(events, e => e.Type == "message_start");
        Assert.Equal(["message_delta", "message_stop"], events.TakeLast(2).Select(e => e.Type));
        Assert.Contains(events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>(), (string[])["end_turn", "max_tokens", "tool_use", "refusal"]);
        var kinds = new List<string>();
        var stopped = new HashSet<int>();
        foreach (var (type, data) in events.Skip(1).SkipLast(2))
        {
            Assert.Equal(type, data["type"]!.GetValue<string>());
            var index = data["index"]!.GetValue<int>();
            switch (type)
            {
                case "content_block_start":
                    Assert.Equal(kinds.Count, index); // blocks are numbered in order, as the SDKs index them
                    Assert.Equal(kinds.Count, stopped.Count); // the previous block is closed first
                    kinds.Add(data["content_block"]!["type"]!.GetValue<string>());
                    break;
                case "content_block_delta":
                    Assert.InRange(index, 0, kinds.Count - 1);
                    var expected = kinds[index] switch { "text" => "text_delta", "thinking" => "thinking_delta", _ => "input_json_delta" };
                    Assert.Equal(expected, data["delta"]!["type"]!.GetValue<string>());
                    Assert.True(kinds[index] == "tool_use" || !stopped.Contains(index), "only a tool call's late arguments may follow its stop");
                    break;
                case "content_block_stop":
                    Assert.True(stopped.Add(index), "a block is stopped once");
                    break;
                default:
                    Assert.Fail($"unexpected '{type}' between message_start and message_delta");
                    break;
            }
        }

        Assert.Equal(kinds.Count, stopped.Count); // every block is closed before the message ends
    }

    [Property]
    public void AnyChunkSequence_LosesNoTextReasoningOrArguments(CanonicalChunkSequence sequence)
    {
        var events = MessagesEventWriterTests.Translate(sequence.Chunks);
        var deltas = sequence.Chunks.Select(c => JsonNode.Parse(c)!["choices"]!.AsArray().FirstOrDefault(ch => ch!["index"]!.GetValue<int>() == 0)?["delta"]).OfType<JsonNode>().ToList();

        Assert.Equal(string.Concat(deltas.Select(d => d["reasoning_content"]?.GetValue<string>())), Joined(events, "thinking_delta", "thinking"));
        Assert.Equal(string.Concat(deltas.Select(d => (d["content"] ?? d["refusal"])?.GetValue<string>())), Joined(events, "text_delta", "text"));
        var calls = deltas.SelectMany(d => d["tool_calls"]?.AsArray() ?? []).GroupBy(c => c!["index"]!.GetValue<int>())
            .Select(g => string.Concat(g.Select(c => c!["function"]!["arguments"]!.GetValue<string>()))).ToList();
        var blocks = events.Where(e => e.Type == "content_block_start" && e.Data["content_block"]!["type"]!.GetValue<string>() == "tool_use").Select(e => e.Data["index"]!.GetValue<int>());
        Assert.Equal(calls, blocks.Select(b => Joined(events.Where(e => e.Data["index"]?.GetValue<int>() == b).ToList(), "input_json_delta", "partial_json")));
    }

    private static string Joined(List<(string Type, JsonObject Data)> events, string deltaType, string field)
    {
        var text = new StringBuilder();
        foreach (var (_, data) in events.Where(e => e.Data["delta"]?["type"]?.GetValue<string>() == deltaType))
        {
            text.Append(data["delta"]![field]!.GetValue<string>());
        }

        return text.ToString();
    }
}
