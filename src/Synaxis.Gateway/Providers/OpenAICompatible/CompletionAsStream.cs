using System.Runtime.CompilerServices;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// Some OpenAI-compatible servers ignore <c>"stream": true</c> and answer with one <c>chat.completion</c>.
/// The client asked for a stream, so it gets one: the whole message as one delta, then the finish
/// reasons, then usage, exactly the chunk sequence an OpenAI stream has
/// (usage estimated when the answer carries none).
/// </summary>
internal static class CompletionAsStream
{
    public static async IAsyncEnumerable<StreamChunk> ReadAsync(HttpResponseMessage response, int maxBytes, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (body, complete) = await BoundedContentReader.ReadAsync(response.Content, maxBytes, cancellationToken).ConfigureAwait(false);
        var completion = complete ? TryParse(body) : null;
        if (completion is null)
        {
            yield return StreamChunk.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream answered a stream request with something that is not a chat completion."));
            yield break;
        }

        var chunk = new ChatCompletionChunk { Id = completion.Id, Created = completion.Created, Model = completion.Model };
        chunk.Choices.AddRange(completion.Choices.Select(c => new ChunkChoice
        {
            Index = c.Index,
            Delta = new ChatDelta
            {
                Role = "assistant",
                Content = c.Message?.Content,
                Refusal = c.Message?.Refusal,
                ToolCalls = c.Message?.ToolCalls?.Select((call, i) => new ToolCall { Index = i, Id = call.Id, Type = call.Type ?? "function", Function = call.Function }).ToList(),
            },
        }));
        yield return Serialize(chunk);

        chunk.Choices = completion.Choices.Select(c => new ChunkChoice { Index = c.Index, FinishReason = c.FinishReason ?? "stop" }).ToList();
        yield return Serialize(chunk);

        chunk.Choices = [];
        chunk.Usage = completion.Usage ?? TokenEstimator.Estimate(TokenEstimator.ForPrompt(call.Request), CompletionScanner.CountAnswerCharacters(body));
        yield return Serialize(chunk);
    }

    private static ChatCompletion? TryParse(byte[] body)
    {
        try
        {
            var completion = JsonSerializer.Deserialize(body, GatewayJsonContext.Wire.ChatCompletion);
            return completion is { Choices.Count: > 0 } ? completion : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StreamChunk Serialize(ChatCompletionChunk chunk) =>
        new(JsonSerializer.SerializeToUtf8Bytes(chunk, GatewayJsonContext.Wire.ChatCompletionChunk), chunk.Choices.Count > 0, chunk.Usage);
}
