using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>One non-streamed call to one deployment: the whole answer, or why there is none.</summary>
internal sealed class CompletionAttempt(ModelDeployment deployment, CompletionResult result) : Attempt(deployment, result.Failure)
{
    public CompletionResult Result { get; } = result;

    /// <summary>Calls the provider; the whole answer must arrive within <paramref name="firstByteTimeout"/> and the deployment's total timeout.</summary>
    public static async Task<CompletionAttempt> RunAsync(IChatProvider provider, ProviderCall call, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        var result = await WholeAnswerCall.RunAsync(token => provider.CompleteAsync(call, token), CompletionResult.Failed,
            call.Deployment, time, firstByteTimeout, cancellationToken).ConfigureAwait(false);
        return new CompletionAttempt(call.Deployment, result);
    }
}
