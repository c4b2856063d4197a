using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Tests.Providers.Gemini;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;

namespace Synaxis.Gateway.Tests.Providers.Properties;

/// <summary>
/// Whatever sequence of events Gemini sends, a client gets a well-formed OpenAI chunk stream: the text,
/// thoughts and calls that arrived, each choice finished once, usage at the end; or, when the upstream
/// failed or stopped early, a failure as the last thing and nothing that looks complete.
/// </summary>
public sealed class GeminiTranslatorProperties
{
    [Property(Arbitrary = [typeof(GeminiScripts)], MaxTest = 400)]
    public void AnyEventSequence_YieldsAWellFormedChunkStream_HoldingWhatArrived(GeminiScript script)
    {
        var chunks = Translate(script.ToSse());
        var expected = ExpectedGeminiAnswer.Of(script);

        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
        var answer = AssembledAnswer.From(chunks.Where(c => c.Failure is null).Select(c => c.Json));
        Assert.Empty(answer.Problems);
        foreach (var (index, choice) in expected.Choices.Where(c => c.Value.Content.Length + c.Value.Reasoning.Length + c.Value.Calls.Count > 0 || c.Value.FinishReason is not null))
        {
            Assert.Equal(choice.Content.ToString(), answer[index].Content.ToString());
            Assert.Equal(choice.Reasoning.ToString(), answer[index].Reasoning.ToString());
            Assert.Equal(choice.FinishReason, answer[index].FinishReason);
            var calls = answer[index].ToolCalls.Values.ToList();
            Assert.Equal(choice.Calls.Select(c => c.Name), calls.Select(c => c.Name));
            Assert.All(choice.Calls.Zip(calls), pair =>
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(pair.First.Arguments), JsonNode.Parse(pair.Second.Arguments.ToString())));
                Assert.Equal(pair.First.Signature, GeminiToolCallId.SignatureOf(pair.Second.Id));
            });
        }

        Assert.Equal(answer.Choices.Values.SelectMany(c => c.ToolCalls.Values).Count(), answer.Choices.Values.SelectMany(c => c.ToolCalls.Values).Select(c => c.Id).Distinct().Count());
        switch (expected.Ending)
        {
            case "error":
                Assert.Equal(UpstreamFailureKind.StreamError, chunks[^1].Failure?.Kind);
                break;
            case "reset":
                Assert.Equal(UpstreamFailureKind.Reset, chunks[^1].Failure?.Kind);
                break;
            default:
                Assert.Equal(1, answer.UsageChunks);
                Assert.All(answer.Choices.Values, c => Assert.NotNull(c.FinishReason));
                var usage = chunks[^1].Usage!;
                Assert.Equal(expected.Usage is null, usage.IsEstimated);
                if (expected.Usage is { } reported)
                {
                    Assert.Equal(reported.Prompt ?? 0, usage.PromptTokens);
                    Assert.Equal((reported.Candidates ?? 0) + (reported.Thoughts ?? 0), usage.CompletionTokens);
                    Assert.Equal(reported.Cached ?? 0, usage.PromptTokensDetails?.CachedTokens);
                }

                break;
        }
    }

    [Property(Arbitrary = [typeof(GeminiScripts)], MaxTest = 200)]
    public void AnyEventSequence_CutAnywhere_NeverThrows_AndShowsOnlyAPrefixOfTheWholeAnswer(GeminiScript script, FsCheck.PositiveInt seed)
    {
        var bytes = script.ToSse();
        var cut = bytes.Length == 0 ? 0 : seed.Get % bytes.Length;

        var chunks = Translate(bytes[..cut]);

        Assert.NotEmpty(chunks);
        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
        var partial = AssembledAnswer.From(chunks.Where(c => c.Failure is null).Select(c => c.Json));
        Assert.Empty(partial.Problems);
        var whole = AssembledAnswer.From(Translate(bytes).Where(c => c.Failure is null).Select(c => c.Json));
        foreach (var (index, choice) in partial.Choices)
        {
            Assert.StartsWith(choice.Content.ToString(), whole[index].Content.ToString(), StringComparison.Ordinal);
            Assert.StartsWith(choice.Reasoning.ToString(), whole[index].Reasoning.ToString(), StringComparison.Ordinal);
        }
    }

    private static List<CollectedChunk> Translate(byte[] sse)
    {
        var call = GeminiHarness.Call(GeminiHarness.StreamRequest);
        return ProviderHarness.CollectAsync(GeminiStreamReader.ReadAsync(new MemoryStream(sse), call, TimeProvider.System)).GetAwaiter().GetResult();
    }
}
