using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http;

/// <summary>One embeddings call to one deployment: the whole list, or why there is none.</summary>
internal sealed class EmbeddingsAttempt(ModelDeployment deployment, EmbeddingsResult result) : Attempt(deployment, result.Failure)
{
    public EmbeddingsResult Result { get; } = result;

    /// <summary>Calls the provider; the whole answer must arrive within <paramref name="firstByteTimeout"/> and the deployment's total timeout.</summary>
    public static async Task<EmbeddingsAttempt> RunAsync(IEmbeddingsProvider provider, EmbeddingsCall call, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        using var timer = new UpstreamTimer(time, cancellationToken, call.Deployment.TotalTimeout);
        timer.Arm(firstByteTimeout);
        EmbeddingsResult result;
        try
        {
            result = await provider.EmbedAsync(call, timer.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            result = EmbeddingsResult.Failed(UpstreamErrors.FromException(timer, beforeFirstChunk: true));
        }
        catch (SecretUnavailableException exception)
        {
            result = EmbeddingsResult.Failed(UpstreamErrors.SecretUnavailable(exception, call.Deployment));
        }

        return new EmbeddingsAttempt(call.Deployment, result);
    }
}
