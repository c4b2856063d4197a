using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Secrets;

/// <summary>The gateway runs as the user-assigned identity AZURE_CLIENT_ID names, and finds some other credential when none is named.</summary>
public sealed class AzureCredentialFactoryTests
{
    [Fact]
    public void WithAzureClientId_UsesThatManagedIdentity()
    {
        var credential = Factory(new() { ["AZURE_CLIENT_ID"] = "3f0c1d0e-5d7a-4b7c-9f51-0c6f3e1c2a11" }).Create();

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void WithoutAzureClientId_UsesTheDefaultChain()
    {
        Assert.IsType<DefaultAzureCredential>(Factory([]).Create());
    }

    private static AzureCredentialFactory Factory(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
