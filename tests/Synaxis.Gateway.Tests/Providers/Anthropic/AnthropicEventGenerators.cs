using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>A generated Anthropic stream body: its SSE events, in order. Printed whole when a property fails.</summary>
public sealed record AnthropicEventSequence(IReadOnlyList<string> Events)
{
    public byte[] Body => System.Text.Encoding.UTF8.GetBytes(string.Concat(Events));

    public override string ToString() => string.Concat(Events);
}

/// <summary>A generated Anthropic stream that follows the protocol, with what an OpenAI client should reassemble from it.</summary>
public sealed record ValidAnthropicStream(AnthropicEventSequence Sequence, string Text, string Reasoning,
    IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls, string StopReason, int InputTokens, int OutputTokens)
{
    public override string ToString() => Sequence.ToString();
}

/// <summary>FsCheck generators of Anthropic stream events: any order and content, or a valid stream.</summary>
public static class AnthropicEventGenerators
{
    private static readonly string[] StopReasons = ["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"];

    /// <summary>Text that JSON must escape and UTF-8 must encode in several bytes.</summary>
    private static Gen<string> Text { get; } = Gen.ListOf(Gen.Elements("a", "Hello", " ", "é", "\"", "\\", "\n", "\r\n", "😀", "{", "}", "\u2028", "\t", ""))
        .Select(pieces => string.Concat(pieces));

    private static Gen<int> Count { get; } = Gen.Choose(0, 5000);

    public static Arbitrary<AnthropicEventSequence> AnyEvents() => Arb.From(
        Gen.Frequency((1, Gen.Constant(new List<string>())), (9, Gen.Frequency((4, MessageStart()), (1, AnyEvent())).SelectMany(first => Gen.ListOf(AnyEvent()).Select(rest => rest.Prepend(first).ToList()))))
            .Select(events => new AnthropicEventSequence(events)),
        sequence => Enumerable.Range(0, sequence.Events.Count).Select(i => new AnthropicEventSequence(sequence.Events.Where((_, j) => j != i).ToList())));

    public static Arbitrary<ValidAnthropicStream> ValidStreams() => Arb.From(
        from blocks in Gen.ListOf(Block())
        from stop in Gen.Elements(StopReasons)
        from input in Count
        from output in Count
        from ping in Gen.Elements(true, false)
        select Assemble(blocks, stop, input, output, ping));

    private static Gen<string> AnyEvent() => Gen.Frequency(
        (2, MessageStart()),
        (6, from index in Gen.Choose(0, 3)
            from type in Gen.Elements("text", "tool_use", "thinking", "redacted_thinking", "server_tool_use")
            from text in Text
            select Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = StartedBlock(type, index, text) })),
        (12, from index in Gen.Choose(0, 3)
             from type in Gen.Elements("text_delta", "input_json_delta", "thinking_delta", "signature_delta", "citations_delta")
             from text in Text
             select Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = Delta(type, text) })),
        (4, Gen.Choose(0, 3).Select(index => Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }))),
        (2, from stop in Gen.Elements(StopReasons.Append(null).ToArray())
            from output in Count
            select Event("message_delta", new JsonObject { ["type"] = "message_delta", ["delta"] = new JsonObject { ["stop_reason"] = stop }, ["usage"] = new JsonObject { ["output_tokens"] = output } })),
        (2, Gen.Constant(Event("message_stop", new JsonObject { ["type"] = "message_stop" }))),
        (2, Gen.Constant("event: ping\ndata: {\"type\": \"ping\"}\n\n")),
        (1, Gen.Constant("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")),
        (1, Gen.Constant("event: future_event\ndata: {\"type\":\"future_event\",\"index\":1}\n\n")),
        (1, Gen.Constant("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\n\n")));

    private static Gen<string> MessageStart() =>
        from input in Count
        from cached in Count
        select Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_generated", ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-generated", ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["usage"] = new JsonObject { ["input_tokens"] = input, ["cache_read_input_tokens"] = cached, ["output_tokens"] = 1 },
            },
        });

    private static JsonObject StartedBlock(string type, int index, string text) => type switch
    {
        "text" => new JsonObject { ["type"] = "text", ["text"] = text },
        "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{index}", ["name"] = $"tool_{index}", ["input"] = new JsonObject() },
        "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = text, ["signature"] = "" },
        "redacted_thinking" => new JsonObject { ["type"] = "redacted_thinking", ["data"] = "opaque" },
        _ => new JsonObject { ["type"] = type, ["id"] = "srvtoolu_1", ["name"] = "web_search", ["input"] = new JsonObject() },
    };

    private static JsonObject Delta(string type, string text) => type switch
    {
        "text_delta" => new JsonObject { ["type"] = type, ["text"] = text },
        "input_json_delta" => new JsonObject { ["type"] = type, ["partial_json"] = text },
        "thinking_delta" => new JsonObject { ["type"] = type, ["thinking"] = text },
        "signature_delta" => new JsonObject { ["type"] = type, ["signature"] = "c2lnbmF0dXJl" },
        _ => new JsonObject { ["type"] = type, ["citation"] = new JsonObject { ["cited_text"] = text } },
    };

    private enum Kind
    {
        Text,
        Tool,
        Thinking,
        Redacted,
    }

    private static Gen<(Kind Kind, List<string> Pieces)> Block() =>
        from kind in Gen.Elements(Kind.Text, Kind.Tool, Kind.Thinking, Kind.Redacted)
        from pieces in Gen.ListOf(Text)
        select (kind, pieces);

    private static ValidAnthropicStream Assemble(List<(Kind Kind, List<string> Pieces)> blocks, string stop, int input, int output, bool ping)
    {
        var events = new List<string>
        {
            Event("message_start", new JsonObject
            {
                ["type"] = "message_start",
                ["message"] = new JsonObject { ["id"] = "msg_valid", ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-valid", ["content"] = new JsonArray(), ["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = 1 } },
            }),
        };
        var calls = new List<(string, string, string)>();
        for (var index = 0; index < blocks.Count; index++)
        {
            var (kind, pieces) = blocks[index];
            var started = kind switch
            {
                Kind.Text => StartedBlock("text", index, ""),
                Kind.Tool => StartedBlock("tool_use", index, ""),
                Kind.Thinking => StartedBlock("thinking", index, ""),
                _ => StartedBlock("redacted_thinking", index, ""),
            };
            events.Add(Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = started }));
            if (ping)
            {
                events.Add("event: ping\ndata: {\"type\": \"ping\"}\n\n");
            }

            var deltaType = kind switch { Kind.Text => "text_delta", Kind.Tool => "input_json_delta", _ => "thinking_delta" };
            if (kind != Kind.Redacted)
            {
                events.AddRange(pieces.Select(piece => Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = Delta(deltaType, piece) })));
            }

            if (kind == Kind.Tool)
            {
                calls.Add(($"toolu_{index}", $"tool_{index}", pieces.Any(p => p.Length > 0) ? string.Concat(pieces) : "{}"));
            }

            events.Add(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }));
        }

        events.Add(Event("message_delta", new JsonObject { ["type"] = "message_delta", ["delta"] = new JsonObject { ["stop_reason"] = stop, ["stop_sequence"] = null }, ["usage"] = new JsonObject { ["output_tokens"] = output } }));
        events.Add(Event("message_stop", new JsonObject { ["type"] = "message_stop" }));
        string Joined(Kind kind) => string.Concat(blocks.Where(b => b.Kind == kind).SelectMany(b => b.Pieces));
        return new ValidAnthropicStream(new AnthropicEventSequence(events), Joined(Kind.Text), Joined(Kind.Thinking), calls, stop, input, output);
    }

    private static string Event(string type, JsonObject data) => $"event: {type}\ndata: {data.ToJsonString()}\n\n";
}
