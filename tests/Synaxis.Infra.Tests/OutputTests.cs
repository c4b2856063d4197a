using System.Text.RegularExpressions;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>The outputs azd writes into the environment (.azure/&lt;env&gt;/.env) and the README's commands read.</summary>
[Collection(InfraCollection.Name)]
public sealed class OutputTests(InfraFixture infra)
{
    [Fact]
    public void Outputs_NameTheLocationTenantAndResourceGroup()
    {
        var outputs = infra.Default.Outputs;

        Assert.Equal("swedencentral", outputs["AZURE_LOCATION"]!.GetValue<string>());
        Assert.Equal(Deployment.TenantId, outputs["AZURE_TENANT_ID"]!.GetValue<string>());
        Assert.Equal(Deployment.Name(infra.Default.Single("Microsoft.Resources/resourceGroups")), outputs["AZURE_RESOURCE_GROUP"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_NameTheFunctionAppAndItsUrl()
    {
        var outputs = infra.Default.Outputs;
        var site = infra.Default.Single("Microsoft.Web/sites");

        Assert.Equal(Deployment.Name(site), outputs["SERVICE_API_NAME"]!.GetValue<string>());
        Assert.Equal(Deployment.Name(site), outputs["AZURE_FUNCTION_APP_NAME"]!.GetValue<string>());
        Assert.Matches(
            $@"^\[format\('https://\{{0\}}', reference\('{Regex.Escape(Deployment.Id(site))}', '[^']+'\)\.defaultHostName\)\]$",
            outputs["SERVICE_API_URI"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_NameTheVaultAndStorage()
    {
        var outputs = infra.Default.Outputs;

        Assert.Equal(Deployment.Name(infra.Default.Single("Microsoft.KeyVault/vaults")), outputs["AZURE_KEY_VAULT_NAME"]!.GetValue<string>());
        Assert.Matches(
            $@"^\[reference\('{Regex.Escape(Deployment.Id(infra.Default.Single("Microsoft.KeyVault/vaults")))}', '[^']+'\)\.vaultUri\]$",
            outputs["AZURE_KEY_VAULT_ENDPOINT"]!.GetValue<string>());
        Assert.Equal(Deployment.Name(infra.Default.Single("Microsoft.Storage/storageAccounts")), outputs["AZURE_STORAGE_ACCOUNT_NAME"]!.GetValue<string>());
    }
}
