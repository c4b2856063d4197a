using Azure.Security.KeyVault.Secrets;

namespace Synaxis.Gateway.Secrets;

/// <summary>Makes the Key Vault client. The one place a credential is built, so tests can hand in a client that needs none.</summary>
public interface ISecretClientFactory
{
    SecretClient Create(Uri vaultUri);
}
