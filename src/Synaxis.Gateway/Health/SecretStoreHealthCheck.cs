using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Health;

/// <summary>
/// Readiness of the secret store: with Key Vault, whether every secret the gateway reads is in hand. It asks the
/// store what its last reads found and never calls the vault itself, so probing costs nothing and cannot add to
/// the vault's throttling. Secrets from configuration are always ready.
/// </summary>
internal sealed class SecretStoreHealthCheck(ISecretStore secrets) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (secrets is not KeyVaultSecretStore vault)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no Key Vault: secrets from configuration"));
        }

        var state = vault.State();
        var result = state switch
        {
            { Unreadable: > 0 } => HealthCheckResult.Unhealthy($"{state.Unreadable} secret(s) could not be read from Key Vault and have no earlier value"),
            { Reading: > 0 } => HealthCheckResult.Unhealthy($"{state.Reading} secret(s) still being read from Key Vault"),
            { ServingLastGood: > 0 } => HealthCheckResult.Degraded($"the last Key Vault refresh failed for {state.ServingLastGood} secret(s); their last values serve"),
            _ => HealthCheckResult.Healthy($"{state.Fresh} secret(s) read from Key Vault"),
        };
        return Task.FromResult(result);
    }
}
