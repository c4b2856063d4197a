using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Mock;

/// <summary>
/// A model inside the gateway: no network, no key, a deterministic answer streamed with realistic
/// pacing and honest usage. It lets a fresh checkout be tried, and honours <c>max_tokens</c>. It also
/// makes deterministic embeddings (<see cref="MockEmbeddings"/>).
/// </summary>
public sealed class MockProvider(IOptions<GatewayOptions> options, TimeProvider time) : IChatProvider, IEmbeddingsProvider
{
    public const string ProviderName = "mock";

    private readonly MockOptions _pacing = options.Value.Mock;

    public string Name => ProviderName;

    public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var (tokens, promptTokens, finishReason) = Plan(call.Request);
        await Task.Delay(_pacing.FirstTokenDelay + (_pacing.TokenDelay * Math.Max(0, tokens.Count - 1)), time, cancellationToken).ConfigureAwait(false);
        var usage = NewUsage(promptTokens, tokens.Count);
        var completion = new ChatCompletion
        {
            Id = CompletionId(call),
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Model = call.Deployment.UpstreamModel,
            Choices = [new ChatChoice { Index = 0, Message = new ResponseMessage { Content = string.Concat(tokens) }, FinishReason = finishReason }],
            Usage = usage,
        };
        return CompletionResult.Success(JsonSerializer.SerializeToUtf8Bytes(completion, GatewayJsonContext.Wire.ChatCompletion), usage);
    }

    public Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken) =>
        Task.FromResult(MockEmbeddings.Embed(call));

    public Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
        Task.FromResult(StreamResult.Success(StreamTokensAsync(call)));

    private async IAsyncEnumerable<StreamChunk> StreamTokensAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (tokens, promptTokens, finishReason) = Plan(call.Request);
        var buffer = new ArrayBufferWriter<byte>(512);
        var chunk = new ChatCompletionChunk
        {
            Id = CompletionId(call),
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Model = call.Deployment.UpstreamModel,
        };
        var choice = new ChunkChoice { Delta = new ChatDelta { Role = "assistant", Content = "" } };
        chunk.Choices.Add(choice);
        yield return Serialize(chunk, buffer);

        for (var i = 0; i < tokens.Count; i++)
        {
            await Task.Delay(i == 0 ? _pacing.FirstTokenDelay : _pacing.TokenDelay, time, cancellationToken).ConfigureAwait(false);
            choice.Delta = new ChatDelta { Content = tokens[i] };
            yield return Serialize(chunk, buffer);
        }

        choice.Delta = new ChatDelta();
        choice.FinishReason = finishReason;
        yield return Serialize(chunk, buffer);

        chunk.Choices.Clear();
        chunk.Usage = NewUsage(promptTokens, tokens.Count);
        yield return Serialize(chunk, buffer);
    }

    private static (List<string> Tokens, int PromptTokens, string FinishReason) Plan(ChatCompletionRequest request)
    {
        var (tokens, promptTokens) = MockAnswer.For(request);
        var limit = request.MaxCompletionTokens ?? request.MaxTokens;
        if (limit is { } max && max < tokens.Count)
        {
            return (tokens[..max], promptTokens, "length");
        }

        return (tokens, promptTokens, "stop");
    }

    private static StreamChunk Serialize(ChatCompletionChunk chunk, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, chunk, GatewayJsonContext.Wire.ChatCompletionChunk);
        }

        return new StreamChunk(buffer.WrittenMemory, chunk.Choices.Count > 0, chunk.Usage);
    }

    private static Usage NewUsage(int promptTokens, int completionTokens) => new()
    {
        PromptTokens = promptTokens,
        CompletionTokens = completionTokens,
        TotalTokens = promptTokens + completionTokens,
    };

    private static string CompletionId(ProviderCall call) => $"chatcmpl-mock-{call.RequestId}";
}
