using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers;

/// <summary>Reads the key a deployment names; a named secret that is missing is a configuration failure, not a keyless call.</summary>
internal static class UpstreamKey
{
    /// <summary>The key, null when the deployment names no secret, or a failure naming the missing secret.</summary>
    public static async ValueTask<(string? Key, UpstreamFailure? Failure)> GetAsync(ISecretStore secrets, ModelDeployment deployment, CancellationToken cancellationToken)
    {
        if (deployment.ApiKeySecret is not { } secretName)
        {
            return (null, null);
        }

        var key = await secrets.GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
        return key is null
            ? (null, new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed, $"The secret '{secretName}' that model '{deployment.Name}' needs is not configured."))
            : (key, null);
    }
}
