using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Hosting;

public sealed class SecretOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("https://kv-synaxis.vault.azure.net/")]
    [InlineData("https://kv-synaxis.vault.azure.net")]
    public void WorkableSettings_Pass(string? vaultUri)
    {
        var result = new SecretOptionsValidator().Validate(null, new GatewayOptions { KeyVault = new KeyVaultOptions { VaultUri = vaultUri } });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://kv-synaxis.vault.azure.net/")]
    [InlineData("kv-synaxis.vault.azure.net")]
    [InlineData("kv-synaxis")]
    public void VaultUriThatIsNotHttps_Fails(string vaultUri)
    {
        var result = new SecretOptionsValidator().Validate(null, new GatewayOptions { KeyVault = new KeyVaultOptions { VaultUri = vaultUri } });

        Assert.Contains(result.Failures!, f => f.StartsWith("Synaxis:KeyVault:VaultUri", StringComparison.Ordinal));
    }

    [Fact]
    public void RefreshIntervalBelowASecond_Fails()
    {
        var result = new SecretOptionsValidator().Validate(null, new GatewayOptions { KeyVault = new KeyVaultOptions { RefreshInterval = TimeSpan.Zero } });

        Assert.Contains(result.Failures!, f => f.StartsWith("Synaxis:KeyVault:RefreshInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void BlankAdminKeySecret_Fails()
    {
        var result = new SecretOptionsValidator().Validate(null, new GatewayOptions { AdminKeySecret = " " });

        Assert.Contains(result.Failures!, f => f.StartsWith("Synaxis:AdminKeySecret", StringComparison.Ordinal));
    }
}
