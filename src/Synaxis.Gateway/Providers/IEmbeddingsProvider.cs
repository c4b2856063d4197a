using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// A provider that also serves <c>POST /v1/embeddings</c>. It answers with OpenAI's embeddings list JSON and
/// its usage (estimated, and marked so, when the upstream does not count); failures are values, as for chat.
/// </summary>
public interface IEmbeddingsProvider
{
    /// <summary>The name the model catalog uses in <c>Provider</c>.</summary>
    string Name { get; }

    Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken);
}

/// <summary>One embeddings call of one deployment.</summary>
public sealed class EmbeddingsCall(EmbeddingsRequest request, EmbeddingInput input, ModelDeployment deployment, string requestId)
{
    public EmbeddingsRequest Request { get; } = request;

    /// <summary>The request's inputs, already checked.</summary>
    public EmbeddingInput Input { get; } = input;

    public ModelDeployment Deployment { get; } = deployment;

    public string RequestId { get; } = requestId;

    /// <summary>The gateway's own count of the input tokens, for upstreams that report none.</summary>
    public Usage EstimateUsage()
    {
        var tokens = Input.Texts is { } texts
            ? texts.Sum(t => TokenEstimator.ForCharacters(t.Length))
            : Input.Tokens!.Sum(t => t.Length);
        return new Usage { PromptTokens = tokens, TotalTokens = tokens, IsEstimated = Input.Texts is not null };
    }
}

/// <summary>The outcome of an embeddings call: the list's JSON and its usage, or a failure.</summary>
public readonly struct EmbeddingsResult
{
    private EmbeddingsResult(ReadOnlyMemory<byte> json, Usage? usage, UpstreamFailure? failure)
    {
        Json = json;
        Usage = usage;
        Failure = failure;
    }

    /// <summary>The OpenAI <c>list</c> of embeddings, UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    public Usage? Usage { get; }

    public UpstreamFailure? Failure { get; }

    public static EmbeddingsResult Success(ReadOnlyMemory<byte> json, Usage usage) => new(json, usage, null);

    public static EmbeddingsResult Failed(UpstreamFailure failure) => new(default, null, failure);
}
