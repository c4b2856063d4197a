using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Builds the <see cref="SecretClient"/> with an Entra ID credential; no key to the vault exists anywhere.
/// </summary>
internal sealed class KeyVaultClientFactory(IConfiguration configuration) : ISecretClientFactory
{
    public SecretClient Create(Uri vaultUri) =>
        new(vaultUri, CreateCredential(configuration["AZURE_CLIENT_ID"]), new SecretClientOptions
        {
            // The default 100 s per attempt would hold a request that finds its secret not yet cached for minutes.
            Retry = { NetworkTimeout = TimeSpan.FromSeconds(10), MaxRetries = 3, Mode = RetryMode.Exponential },
        });

    /// <summary>
    /// With <c>AZURE_CLIENT_ID</c> (the Function App's user-assigned identity) the credential is that managed identity
    /// and nothing else: <see cref="DefaultAzureCredential"/> would first probe other sources (environment service
    /// principal, workload identity) at every cold start, could pick up a different identity than the one granted
    /// the vault, and turns a misconfiguration into a chain of unrelated errors. Without it (a developer's machine
    /// after <c>az login</c>, or a system-assigned identity) <see cref="DefaultAzureCredential"/> finds what there is.
    /// </summary>
    internal static TokenCredential CreateCredential(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
