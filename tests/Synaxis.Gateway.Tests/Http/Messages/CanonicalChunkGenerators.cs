using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Synaxis.Gateway.Tests.Http.Messages;

/// <summary>A generated canonical (OpenAI) chunk stream, as any provider may produce it. Printed whole when a property fails.</summary>
public sealed record CanonicalChunkSequence(IReadOnlyList<string> Chunks)
{
    public override string ToString() => string.Join("\n", Chunks);
}

/// <summary>FsCheck generators of <c>chat.completion.chunk</c> sequences: text, reasoning, refusals, tool calls in any order, finish and usage chunks.</summary>
public static class CanonicalChunkGenerators
{
    private static Gen<string> Text { get; } = Gen.ListOf(Gen.Elements("a", "Hello", " ", "é", "\"", "\\", "\n", "😀", "{", "}", ""))
        .Select(pieces => string.Concat(pieces));

    public static Arbitrary<CanonicalChunkSequence> Sequences() => Arb.From(
        Gen.ListOf(Chunk()).Select(chunks => new CanonicalChunkSequence(chunks.Select(c => c.ToJsonString()).ToList())),
        sequence => Enumerable.Range(0, sequence.Chunks.Count).Select(i => new CanonicalChunkSequence(sequence.Chunks.Where((_, j) => j != i).ToList())));

    private static Gen<JsonObject> Chunk() => Gen.Frequency(
        (5, Text.Select(text => Envelope(new JsonObject { ["content"] = text }))),
        (2, Text.Select(text => Envelope(new JsonObject { ["reasoning_content"] = text }))),
        (1, Text.Select(text => Envelope(new JsonObject { ["refusal"] = text }))),
        (1, Gen.Constant(Envelope(new JsonObject { ["role"] = "assistant", ["content"] = null }))),
        (4, from index in Gen.Choose(0, 2)
            from withId in Gen.Elements(true, false)
            from arguments in Text
            select Envelope(new JsonObject { ["tool_calls"] = new JsonArray(ToolCall(index, withId, arguments)) })),
        (1, Gen.Elements("stop", "length", "tool_calls", "content_filter").Select(reason => Envelope(new JsonObject(), reason))),
        (1, from prompt in Gen.Choose(0, 1000)
            from cached in Gen.Choose(0, 1000)
            from completion in Gen.Choose(0, 1000)
            select Usage(prompt + cached, cached, completion)),
        (1, Text.Select(text => Envelope(new JsonObject { ["content"] = text }, choiceIndex: 1))));

    private static JsonObject ToolCall(int index, bool withId, string arguments)
    {
        var call = new JsonObject { ["index"] = index };
        if (withId)
        {
            call["id"] = $"call_{index}";
            call["type"] = "function";
        }

        call["function"] = withId ? new JsonObject { ["name"] = $"tool_{index}", ["arguments"] = arguments } : new JsonObject { ["arguments"] = arguments };
        return call;
    }

    private static JsonObject Envelope(JsonObject delta, string? finishReason = null, int choiceIndex = 0) => new()
    {
        ["id"] = "chatcmpl-generated",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1727346178,
        ["model"] = "gpt-generated",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = choiceIndex, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static JsonObject Usage(int prompt, int cached, int completion) => new()
    {
        ["id"] = "chatcmpl-generated",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1727346178,
        ["model"] = "gpt-generated",
        ["choices"] = new JsonArray(),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
        },
    };
}
