using Microsoft.Extensions.Logging;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Step 3 of <see cref="DeploymentRouter"/>: lets a rotated upstream key take effect without a restart. The key a
/// call is about to use is noted; when the upstream answers 401, the secret is read again from its store, and
/// only a different value is worth a second call to the same deployment.
/// </summary>
internal sealed partial class KeyRefresh(ISecretStore secrets, ILogger logger)
{
    /// <summary>The key the provider is about to use (a cache read); null for a keyless deployment or an unreadable secret.</summary>
    public Task<string?> BeforeCallAsync(ModelDeployment deployment, CancellationToken cancellationToken) =>
        deployment.ApiKeySecret is { } name ? ReadAsync(name, refresh: false, cancellationToken) : Task.FromResult<string?>(null);

    /// <summary>True when <paramref name="failure"/> is a refused stored key and its store now holds another value.</summary>
    public async Task<bool> HasNewKeyAsync(string requestId, ModelDeployment deployment, UpstreamFailure? failure, string? used, CancellationToken cancellationToken)
    {
        if (failure is not { Kind: UpstreamFailureKind.AuthenticationFailed, UpstreamStatus: 401 } || deployment.ApiKeySecret is not { } secret)
        {
            return false;
        }

        var fresh = await ReadAsync(secret, refresh: true, cancellationToken).ConfigureAwait(false);
        if (fresh is null || string.Equals(fresh, used, StringComparison.Ordinal))
        {
            LogKeyUnchanged(requestId, deployment.Name, secret);
            return false;
        }

        LogKeyRefreshed(requestId, deployment.Name, secret);
        return true;
    }

    /// <summary>The secret's value, or null when it does not exist or its store cannot be read (the call itself then says so).</summary>
    private async Task<string?> ReadAsync(string name, bool refresh, CancellationToken cancellationToken)
    {
        try
        {
            return await (refresh ? secrets.RefreshAsync(name, cancellationToken) : secrets.GetSecretAsync(name, cancellationToken)).ConfigureAwait(false);
        }
        catch (SecretUnavailableException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 122, Level = LogLevel.Information,
        Message = "Call {RequestId}: deployment {Deployment} refused the key from secret {Secret}; the secret has a new value, the call is repeated once with it")]
    private partial void LogKeyRefreshed(string requestId, string deployment, string secret);

    [LoggerMessage(EventId = 124, Level = LogLevel.Warning,
        Message = "Call {RequestId}: deployment {Deployment} refused the key from secret {Secret}, and the secret store holds no newer value")]
    private partial void LogKeyUnchanged(string requestId, string deployment, string secret);
}
