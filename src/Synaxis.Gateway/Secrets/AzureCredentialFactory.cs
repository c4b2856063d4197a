using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// The user-assigned managed identity named by <c>AZURE_CLIENT_ID</c> when it is set (what the Function
/// App runs as in Azure); otherwise <see cref="DefaultAzureCredential"/>, which finds a system-assigned
/// identity in Azure and the developer's own sign-in (Azure CLI, Visual Studio) on a workstation.
/// </summary>
internal sealed class AzureCredentialFactory(IConfiguration configuration) : IAzureCredentialFactory
{
    public TokenCredential Create() => configuration["AZURE_CLIENT_ID"] is { Length: > 0 } clientId
        ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
        : new DefaultAzureCredential();
}
