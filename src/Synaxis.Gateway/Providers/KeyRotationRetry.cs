using Microsoft.Extensions.Logging;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// Lets a rotated upstream key take effect without a restart. When an upstream answers 401 to a deployment whose
/// key comes from a secret, the secret is read again from its store; if the value changed, the call is made once
/// more with the new key. Callers use it where they open the upstream call, before anything has gone to the client,
/// so a retry cannot duplicate output. It also turns a secret store that cannot be read into a failure value that
/// names the secret, like a secret that does not exist.
/// </summary>
public sealed partial class KeyRotationRetry(ISecretStore secrets, ILogger<KeyRotationRetry> logger)
{
    public Task<CompletionResult> CompleteAsync(IChatProvider provider, ProviderCall call, CancellationToken cancellationToken) =>
        CallAsync(call, provider.CompleteAsync, static r => r.Failure, CompletionResult.Failed, cancellationToken);

    public Task<StreamResult> StreamAsync(IChatProvider provider, ProviderCall call, CancellationToken cancellationToken) =>
        CallAsync(call, provider.StreamAsync, static r => r.Failure, StreamResult.Failed, cancellationToken);

    private async Task<TResult> CallAsync<TResult>(
        ProviderCall call,
        Func<ProviderCall, CancellationToken, Task<TResult>> send,
        Func<TResult, UpstreamFailure?> failureOf,
        Func<UpstreamFailure, TResult> failed,
        CancellationToken cancellationToken)
    {
        var secretName = call.Deployment.ApiKeySecret;
        if (secretName is null)
        {
            return await send(call, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // The value the provider is about to use (a cache read), to tell a rotated key from one refused again.
            var used = await secrets.GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
            var result = await send(call, cancellationToken).ConfigureAwait(false);
            if (failureOf(result) is not { Kind: UpstreamFailureKind.AuthenticationFailed, UpstreamStatus: 401 })
            {
                return result;
            }

            var fresh = await secrets.RefreshAsync(secretName, cancellationToken).ConfigureAwait(false);
            if (fresh is null || string.Equals(fresh, used, StringComparison.Ordinal))
            {
                LogKeyUnchanged(call.RequestId, call.Deployment.Name, secretName);
                return result;
            }

            LogRetryingWithRotatedKey(call.RequestId, call.Deployment.Name, secretName);
            return await send(call, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretUnavailableException exception)
        {
            return failed(new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed,
                $"The secret '{exception.SecretName}' that model '{call.Deployment.Name}' needs could not be read from the secret store; try again shortly.")
            {
                Code = "secret_store_unavailable",
            });
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information,
        Message = "Call {RequestId}: the upstream of deployment {Deployment} refused the key from secret {Secret}; the secret has a new value, retrying once with it")]
    private partial void LogRetryingWithRotatedKey(string requestId, string deployment, string secret);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning,
        Message = "Call {RequestId}: the upstream of deployment {Deployment} refused the key from secret {Secret}, and the secret store holds no newer value")]
    private partial void LogKeyUnchanged(string requestId, string deployment, string secret);
}
