using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Secrets;

/// <summary>Which credential reaches the vault. Building one contacts nothing; no token is ever asked for here.</summary>
public sealed class KeyVaultClientFactoryTests
{
    [Fact]
    public void WithAzureClientId_UsesThatUserAssignedManagedIdentity()
    {
        Assert.IsType<ManagedIdentityCredential>(KeyVaultClientFactory.CreateCredential("00000000-0000-0000-0000-000000000001"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void WithoutAzureClientId_UsesDefaultAzureCredential(string? clientId)
    {
        Assert.IsType<DefaultAzureCredential>(KeyVaultClientFactory.CreateCredential(clientId));
    }

    [Fact]
    public void Client_PointsAtTheConfiguredVault()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("AZURE_CLIENT_ID", (string?)"00000000-0000-0000-0000-000000000001")]).Build();

        var client = new KeyVaultClientFactory(configuration).Create(new Uri("https://kv-synaxis.vault.azure.net/"));

        Assert.Equal(new Uri("https://kv-synaxis.vault.azure.net/"), client.VaultUri);
    }

    [Theory]
    [InlineData("openai-api-key", true)]
    [InlineData("synaxis-admin-key", true)]
    [InlineData("Key-2", true)]
    [InlineData("OPENAI_API_KEY", false)]
    [InlineData("key.with.dots", false)]
    [InlineData("clé", false)]
    [InlineData("", false)]
    public void KeyVaultNames_AreLettersDigitsAndDashes(string name, bool valid)
    {
        Assert.Equal(valid, SecretNames.IsValidInKeyVault(name));
    }
}
