using System.Text.RegularExpressions;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>
/// Exactly the grants the app needs, to the app's identity, on the right resources; and the optional ones:
/// the deployer's, and the app's on an Azure OpenAI account outside the template.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string CognitiveServicesOpenAiUser = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";

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
    public void WithAnAzureOpenAiAccount_TheAppGetsOpenAiUserOnIt_AndWithoutADeployingPrincipal_NobodyElseIsGranted()
    {
        var vault = Deployment.Id(infra.Customised.Single("Microsoft.KeyVault/vaults"));
        var storage = Deployment.Id(infra.Customised.Single("Microsoft.Storage/storageAccounts"));
        var insights = Deployment.Id(infra.Customised.Single("Microsoft.Insights/components"));

        (string Scope, string Role, string Principal, string Type)[] expected =
        [
            (vault, KeyVaultSecretsUser, App, "ServicePrincipal"),
            (storage, StorageBlobDataOwner, App, "ServicePrincipal"),
            (storage, StorageTableDataContributor, App, "ServicePrincipal"),
            (insights, MonitoringMetricsPublisher, App, "ServicePrincipal"),
            (InfraFixture.AzureOpenAiResourceId, CognitiveServicesOpenAiUser, App, "ServicePrincipal"),
        ];

        Assert.Equal(expected.Order(), Assignments(infra.Customised).Order());
    }

    [Fact]
    public void Assignments_UseBuiltInRoleDefinitionsOfTheirScopesSubscription_AndStableNames()
    {
        Assert.All(new[] { infra.Default, infra.Customised }, deployment =>
        {
            var assignments = deployment.All("Microsoft.Authorization/roleAssignments").ToList();
            Assert.All(assignments, a =>
            {
                // The Azure OpenAI account may be in another subscription; its role definition is looked up there.
                var subscription = Deployment.Id(a).Split('/')[2];
                Assert.Matches(
                    $"^/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{{36}}$",
                    a["properties"]!["roleDefinitionId"]!.GetValue<string>());
                // A guid() of scope, identity and role: the same name on every deployment, so re-running azd up is idempotent.
                Assert.True(Guid.TryParse(Deployment.Name(a), out _));
            });
            Assert.Equal(assignments.Select(Deployment.Name), assignments.Select(Deployment.Name).Distinct());
        });
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
