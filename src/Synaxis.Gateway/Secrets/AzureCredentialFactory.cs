using Azure.Core;
using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// The credential for Azure services other than Key Vault (Azure OpenAI), chosen the way the Key Vault client's
/// is: the user-assigned managed identity <c>AZURE_CLIENT_ID</c> names, else <c>DefaultAzureCredential</c>
/// (see <see cref="KeyVaultClientFactory.CreateCredential"/>).
/// </summary>
internal sealed class AzureCredentialFactory(IConfiguration configuration) : IAzureCredentialFactory
{
    public TokenCredential Create() => KeyVaultClientFactory.CreateCredential(configuration["AZURE_CLIENT_ID"]);
}
