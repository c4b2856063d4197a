using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;
using static Synaxis.Gateway.Tests.Providers.Anthropic.AnthropicHarness;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>
/// Properties of the Anthropic stream translation over generated event sequences: whatever the upstream
/// sends, in whatever order, an OpenAI client gets a well-formed chunk stream; and a valid stream loses nothing.
/// </summary>
[Properties(Arbitrary = [typeof(AnthropicEventGenerators)], MaxTest = 300)]
public sealed class AnthropicStreamTranslatorProperties
{
    [Property]
    public void AnyEventSequence_YieldsAWellFormedOpenAIChunkStream(AnthropicEventSequence sequence) =>
        CanonicalStreamRules.AssertWellFormed(Translate(sequence.Body));

    [Property]
    public void AnyEventSequence_CutAnywhere_StillYieldsAWellFormedStream(AnthropicEventSequence sequence, byte cutPercent)
    {
        var body = sequence.Body;
        CanonicalStreamRules.AssertWellFormed(Translate(body[..(body.Length * (cutPercent % 101) / 100)]));
    }

    [Property]
    public void ValidStream_ReassemblesTextReasoningToolCallsFinishAndUsage(ValidAnthropicStream stream)
    {
        var chunks = Translate(stream.Sequence.Body);
        var translated = new TranslatedStream(chunks);

        CanonicalStreamRules.AssertWellFormed(chunks);
        Assert.All(chunks, c => Assert.Null(c.Failure));
        Assert.Equal(stream.Text, translated.Text);
        Assert.Equal(stream.Reasoning, translated.Reasoning);
        Assert.Equal(stream.ToolCalls.Select((c, i) => (i, c.Id, c.Name, c.Arguments)), translated.ToolCalls());
        Assert.Equal([AnthropicFinishReasons.ToOpenAI(stream.StopReason)], translated.FinishReasons);
        Assert.Equal(stream.InputTokens, chunks[^1].Usage!.PromptTokens);
        Assert.Equal(stream.OutputTokens, chunks[^1].Usage!.CompletionTokens);
    }

    // Task.Run keeps the provider's awaits off xunit's synchronization context while the property blocks.
    private static List<CollectedChunk> Translate(byte[] body) =>
        Task.Run(() => StreamAsync(new ReplayHandler(HttpStatusCode.OK, body, "text/event-stream"))).GetAwaiter().GetResult();
}

/// <summary>What every canonical chunk stream must look like to an OpenAI client, whatever the provider.</summary>
internal static class CanonicalStreamRules
{
    public static void AssertWellFormed(List<CollectedChunk> chunks)
    {
        Assert.NotEmpty(chunks);
        var failureAt = chunks.FindIndex(c => c.Failure is not null);
        Assert.True(failureAt < 0 || failureAt == chunks.Count - 1, "a failure ends the stream");
        var relayed = chunks.Where(c => c.Failure is null).ToList();
        var finishes = 0;
        var toolCalls = 0;
        var usageSeen = false;
        foreach (var chunk in relayed)
        {
            Assert.False(usageSeen, "nothing follows the usage chunk");
            var json = JsonNode.Parse(chunk.Json)!.AsObject(); // throws on invalid JSON
            Assert.Equal(JsonValueKind.String, json["id"]!.GetValueKind());
            Assert.Equal("chat.completion.chunk", json["object"]!.GetValue<string>());
            Assert.Equal(JsonValueKind.Number, json["created"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, json["model"]!.GetValueKind());
            var choices = json["choices"]!.AsArray();
            Assert.Equal(chunk.HasChoices, choices.Count > 0);
            if (choices.Count == 0)
            {
                Assert.NotNull(json["usage"]);
                Assert.Equal(chunk.Usage!.PromptTokens + chunk.Usage.CompletionTokens, json["usage"]!["total_tokens"]!.GetValue<int>());
                usageSeen = true;
                continue;
            }

            var choice = Assert.Single(choices)!;
            Assert.Equal(0, choice["index"]!.GetValue<int>());
            Assert.Equal(0, finishes); // after the finish only the usage chunk may come
            if (choice["finish_reason"] is { } finish)
            {
                Assert.Contains(finish.GetValue<string>(), (string[])["stop", "length", "tool_calls", "content_filter"]);
                finishes++;
            }

            foreach (var call in choice["delta"]!["tool_calls"]?.AsArray() ?? [])
            {
                var index = call!["index"]!.GetValue<int>();
                if (call["id"] is not null)
                {
                    Assert.Equal(toolCalls, index); // a new call takes the next index
                    Assert.Equal("function", call["type"]!.GetValue<string>());
                    Assert.NotNull(call["function"]!["name"]);
                    toolCalls++;
                }
                else
                {
                    Assert.InRange(index, 0, toolCalls - 1); // arguments only for a call already announced
                    Assert.Null(call["function"]!["name"]);
                }
            }
        }

        // It ends with a finish and its usage, or with a failure: never just stops.
        var ended = chunks[^1].Failure is not null || (finishes == 1 && usageSeen);
        Assert.True(ended, "the stream ends with a finish and usage, or with a failure");
    }
}
