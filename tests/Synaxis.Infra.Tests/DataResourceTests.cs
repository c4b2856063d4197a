using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>Storage, Key Vault and telemetry are reachable only with Entra ID and keep what is deleted recoverable.</summary>
[Collection(InfraCollection.Name)]
public sealed class DataResourceTests(InfraFixture infra)
{
    [Fact]
    public void Storage_RefusesSharedKeysAndPublicBlobs_AndOldTls()
    {
        var properties = infra.Default.Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.True(properties["defaultToOAuthAuthentication"]!.GetValue<bool>());
    }

    [Fact]
    public void KeyVault_AuthorisesWithRbac_InTheDeploymentsTenant()
    {
        var properties = infra.Default.Single("Microsoft.KeyVault/vaults")["properties"]!.AsObject();

        Assert.True(properties["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.False(properties.ContainsKey("accessPolicies"));
        Assert.Equal(Deployment.TenantId, properties["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public void KeyVault_KeepsDeletedSecretsRecoverable_AndPurgeProtectionIsOptIn()
    {
        var byDefault = infra.Default.Single("Microsoft.KeyVault/vaults")["properties"]!.AsObject();
        var customised = infra.Customised.Single("Microsoft.KeyVault/vaults")["properties"]!.AsObject();

        Assert.True(byDefault["enableSoftDelete"]!.GetValue<bool>());
        Assert.Equal(7, byDefault["softDeleteRetentionInDays"]!.GetValue<int>());
        // Key Vault rejects an explicit false, so "off" must mean the property is absent (null is dropped by ARM).
        Assert.Null(byDefault["enablePurgeProtection"]);
        Assert.True(customised["enablePurgeProtection"]!.GetValue<bool>());
    }

    [Fact]
    public void ApplicationInsights_AcceptsOnlyEntraAuthenticatedTelemetry_IntoTheWorkspace()
    {
        var component = infra.Default.Single("Microsoft.Insights/components")["properties"]!;
        var workspace = infra.Default.Single("Microsoft.OperationalInsights/workspaces");

        Assert.True(component["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Equal(Deployment.Id(workspace), component["WorkspaceResourceId"]!.GetValue<string>());
    }

    [Fact]
    public void EveryResource_LivesInTheEnvironmentsResourceGroup_WithItsTag()
    {
        var group = infra.Default.Single("Microsoft.Resources/resourceGroups");

        Assert.Equal("rg-synaxis-ci", Deployment.Name(group));
        Assert.All(infra.Default.Resources.Where(r => r != group), r =>
            Assert.StartsWith(Deployment.Id(group) + "/", Deployment.Id(r), StringComparison.Ordinal));
        Assert.All(infra.Default.Resources.Where(r => r["location"] is not null), r =>
        {
            Assert.Equal("swedencentral", r["location"]!.GetValue<string>());
            Assert.Equal("synaxis-ci", r["tags"]!["azd-env-name"]!.GetValue<string>());
        });
    }
}
