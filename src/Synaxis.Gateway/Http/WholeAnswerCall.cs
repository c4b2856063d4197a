using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Runs one provider call whose answer comes whole (a chat completion, an embeddings list) under the
/// deployment's timers, and turns the failures a caller can expect into a failed result.
/// </summary>
internal static class WholeAnswerCall
{
    /// <param name="send">The provider call, given the token that fires on timeout or client abort.</param>
    /// <param name="failed">Builds the failed result of the caller's result type.</param>
    /// <param name="deployment">The deployment called; its total timeout bounds the whole call.</param>
    /// <param name="time">The clock for the timers.</param>
    /// <param name="firstByteTimeout">How long the whole answer may take to start arriving.</param>
    /// <param name="cancellationToken">Fires when the client is gone.</param>
    public static async Task<TResult> RunAsync<TResult>(
        Func<CancellationToken, Task<TResult>> send, Func<UpstreamFailure, TResult> failed,
        ModelDeployment deployment, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        using var timer = new UpstreamTimer(time, cancellationToken, deployment.TotalTimeout);
        timer.Arm(firstByteTimeout);
        try
        {
            return await send(timer.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            return failed(UpstreamErrors.FromException(timer, beforeFirstChunk: true));
        }
        catch (SecretUnavailableException exception)
        {
            return failed(UpstreamErrors.SecretUnavailable(exception, deployment));
        }
    }
}
