using System.Text.Json.Nodes;
using System.Xml.Linq;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>The Flex Consumption plan and function app: runtime, hardening and what Flex rejects.</summary>
[Collection(InfraCollection.Name)]
public sealed class FunctionAppTests(InfraFixture infra)
{
    // siteConfig properties ARM rejects on Flex Consumption (the runtime comes from functionAppConfig).
    private static readonly string[] SiteConfigRejectedOnFlex =
    [
        "linuxFxVersion", "ftpsState", "use32BitWorkerProcess", "netFrameworkVersion",
        "functionsRuntimeScaleMonitoringEnabled", "functionAppScaleLimit", "minimumElasticInstanceCount",
    ];

    private JsonObject Site => infra.Default.Single("Microsoft.Web/sites");

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var plan = infra.Default.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>()); // Linux
        Assert.Equal(Deployment.Id(plan), Site["properties"]!["serverFarmId"]!.GetValue<string>());
    }

    [Fact]
    public void Site_RunsDotnetIsolated_OnTheVersionTheAppTargets()
    {
        var runtime = Site["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal("functionapp,linux", Site["kind"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal(TargetDotnetVersion(), runtime["version"]!.GetValue<string>());
    }

    [Fact]
    public void Site_IsHttpsOnly_WithTls12AndNoBasicAuthPublishing()
    {
        var properties = Site["properties"]!;

        Assert.True(properties["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", properties["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("Enabled", properties["publicNetworkAccess"]!.GetValue<string>());

        var policies = infra.Default.All("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => Deployment.Name(p).Split('/')[^1]).Order());
        Assert.All(policies, p =>
        {
            Assert.StartsWith(Deployment.Name(Site) + "/", Deployment.Name(p), StringComparison.Ordinal);
            Assert.False(p["properties"]!["allow"]!.GetValue<bool>());
        });
    }

    [Fact]
    public void SiteConfig_SetsNothingFlexConsumptionRejects()
    {
        var siteConfig = Site["properties"]!["siteConfig"]!.AsObject();

        Assert.DoesNotContain(siteConfig, p => SiteConfigRejectedOnFlex.Contains(p.Key, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Site_RunsAsTheUserAssignedIdentityOnly()
    {
        var identity = Site["identity"]!;
        var identityId = Deployment.Id(infra.Default.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));

        Assert.Equal("UserAssigned", identity["type"]!.GetValue<string>());
        Assert.Equal([identityId], identity["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void DeploymentPackage_ComesFromAPrivateContainer_ReadWithTheIdentity()
    {
        var storage = Site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        var account = infra.Default.Single("Microsoft.Storage/storageAccounts");
        var container = infra.Default.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        var containerName = Deployment.Name(container).Split('/')[^1];

        Assert.Equal("blobContainer", storage["type"]!.GetValue<string>());
        var value = storage["value"]!.GetValue<string>();
        Assert.Contains($"reference('{Deployment.Id(account)}'", value, StringComparison.Ordinal);
        Assert.Contains(".primaryEndpoints.blob", value, StringComparison.Ordinal);
        Assert.Contains($"'{containerName}'", value, StringComparison.Ordinal);
        Assert.Equal("None", container["properties"]!["publicAccess"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", storage["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal(
            Deployment.Id(infra.Default.Single("Microsoft.ManagedIdentity/userAssignedIdentities")),
            storage["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>());
    }

    [Fact]
    public void Scale_DefaultsToFlexQuickstartValues_AndFollowsTheParameters()
    {
        var byDefault = Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        var customised = infra.Customised.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.Equal(100, byDefault["maximumInstanceCount"]!.GetValue<int>());
        Assert.Equal(2048, byDefault["instanceMemoryMB"]!.GetValue<int>());
        Assert.Equal(40, customised["maximumInstanceCount"]!.GetValue<int>());
        Assert.Equal(4096, customised["instanceMemoryMB"]!.GetValue<int>());
    }

    [Fact]
    public void Cors_AllowsNoOriginByDefault_AndExactlyTheParameterOtherwise()
    {
        var byDefault = Site["properties"]!["siteConfig"]!["cors"]!;
        var customised = infra.Customised.Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["cors"]!;

        Assert.Empty(byDefault["allowedOrigins"]!.AsArray());
        Assert.Equal(InfraFixture.CustomCorsOrigins, customised["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.False(byDefault["supportCredentials"]!.GetValue<bool>());
        Assert.False(customised["supportCredentials"]!.GetValue<bool>());
    }

    [Fact]
    public void Site_IsTaggedWithTheAzdServiceName()
    {
        var tags = Site["tags"]!;

        Assert.Equal(AzureYaml.ServiceName(), tags["azd-service-name"]!.GetValue<string>());
        Assert.Equal("synaxis-ci", tags["azd-env-name"]!.GetValue<string>());
    }

    // net10.0 → 10.0: the Functions project inherits TargetFramework from Directory.Build.props.
    private static string TargetDotnetVersion()
    {
        var project = XDocument.Load(Repository.PathOf("src/Synaxis.Functions/Synaxis.Functions.csproj"));
        var props = XDocument.Load(Repository.PathOf("Directory.Build.props"));
        var framework = project.Descendants("TargetFramework").Concat(props.Descendants("TargetFramework")).First().Value;
        Assert.StartsWith("net", framework, StringComparison.Ordinal);
        return framework["net".Length..];
    }
}
