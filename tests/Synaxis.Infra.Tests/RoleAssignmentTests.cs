using System.Text.RegularExpressions;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>Exactly the grants the app needs, to the app's identity, on the right resources; and the deployer's optional one.</summary>
[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private const string App = "the app's identity";

    [Fact]
    public void AppIdentity_GetsSecretsUserBlobOwnerTableContributorAndMetricsPublisher_AndDeployerGetsSecretsOfficer()
    {
        var vault = Deployment.Id(infra.Default.Single("Microsoft.KeyVault/vaults"));
        var storage = Deployment.Id(infra.Default.Single("Microsoft.Storage/storageAccounts"));
        var insights = Deployment.Id(infra.Default.Single("Microsoft.Insights/components"));

        (string Scope, string Role, string Principal, string Type)[] expected =
        [
            (vault, KeyVaultSecretsUser, App, "ServicePrincipal"),
            (storage, StorageBlobDataOwner, App, "ServicePrincipal"),
            (storage, StorageTableDataContributor, App, "ServicePrincipal"),
            (insights, MonitoringMetricsPublisher, App, "ServicePrincipal"),
            (vault, KeyVaultSecretsOfficer, InfraFixture.PrincipalId, "User"),
        ];

        Assert.Equal(expected.Order(), Assignments(infra.Default).Order());
    }

    [Fact]
    public void WithoutADeployingPrincipal_OnlyTheAppIsGranted()
    {
        Assert.All(Assignments(infra.Customised), a => Assert.Equal(App, a.Principal));
        Assert.Equal(4, Assignments(infra.Customised).Count);
    }

    [Fact]
    public void Assignments_UseBuiltInRoleDefinitions_AndStableNames()
    {
        Assert.All(infra.Default.All("Microsoft.Authorization/roleAssignments"), a =>
        {
            Assert.Matches(
                $"^/subscriptions/{Deployment.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{{36}}$",
                a["properties"]!["roleDefinitionId"]!.GetValue<string>());
            // A guid() of scope, principal and role: the same name on every deployment, so re-running azd up is idempotent.
            Assert.True(Guid.TryParse(Deployment.Name(a), out _));
        });
        Assert.Equal(
            infra.Default.All("Microsoft.Authorization/roleAssignments").Select(Deployment.Name),
            infra.Default.All("Microsoft.Authorization/roleAssignments").Select(Deployment.Name).Distinct());
    }

    private List<(string Scope, string Role, string Principal, string Type)> Assignments(Deployment deployment)
    {
        var identity = Regex.Escape(Deployment.Id(deployment.Single("Microsoft.ManagedIdentity/userAssignedIdentities")));
        var appPrincipal = new Regex($@"^\[reference\('{identity}', '[^']+'\)\.principalId\]$");

        return deployment.All("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var id = Deployment.Id(a);
            var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal)];
            var properties = a["properties"]!;
            var principal = properties["principalId"]!.GetValue<string>();
            return (
                scope,
                properties["roleDefinitionId"]!.GetValue<string>().Split('/')[^1],
                appPrincipal.IsMatch(principal) ? App : principal,
                properties["principalType"]!.GetValue<string>());
        }).ToList();
    }
}
