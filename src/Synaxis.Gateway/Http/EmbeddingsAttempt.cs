using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>One embeddings call to one deployment: the whole list, or why there is none.</summary>
internal sealed class EmbeddingsAttempt(ModelDeployment deployment, EmbeddingsResult result) : Attempt(deployment, result.Failure)
{
    public EmbeddingsResult Result { get; } = result;

    /// <summary>Calls the provider; the whole answer must arrive within <paramref name="firstByteTimeout"/> and the deployment's total timeout.</summary>
    public static async Task<EmbeddingsAttempt> RunAsync(IEmbeddingsProvider provider, EmbeddingsCall call, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        var result = await WholeAnswerCall.RunAsync(token => provider.EmbedAsync(call, token), EmbeddingsResult.Failed,
            call.Deployment, time, firstByteTimeout, cancellationToken).ConfigureAwait(false);
        return new EmbeddingsAttempt(call.Deployment, result);
    }
}
