using Azure.Core;

namespace Synaxis.Gateway.Secrets;

/// <summary>Creates the Microsoft Entra ID credential the gateway authenticates to Azure services with.</summary>
public interface IAzureCredentialFactory
{
    TokenCredential Create();
}
