using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http;

/// <summary>One non-streamed call to one deployment: the whole answer, or why there is none.</summary>
internal sealed class CompletionAttempt(ModelDeployment deployment, CompletionResult result) : Attempt(deployment, result.Failure)
{
    public CompletionResult Result { get; } = result;

    /// <summary>Calls the provider; the whole answer must arrive within <paramref name="firstByteTimeout"/> and the deployment's total timeout.</summary>
    public static async Task<CompletionAttempt> RunAsync(IChatProvider provider, ProviderCall call, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        using var timer = new UpstreamTimer(time, cancellationToken, call.Deployment.TotalTimeout);
        timer.Arm(firstByteTimeout);
        CompletionResult result;
        try
        {
            result = await provider.CompleteAsync(call, timer.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            result = CompletionResult.Failed(UpstreamErrors.FromException(timer, beforeFirstChunk: true));
        }
        catch (SecretUnavailableException exception)
        {
            result = CompletionResult.Failed(UpstreamErrors.SecretUnavailable(exception, call.Deployment));
        }

        return new CompletionAttempt(call.Deployment, result);
    }
}
