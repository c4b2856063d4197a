using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>The function app's settings: everything the code reads, nothing Flex rejects, each one documented.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class AppSettingsTests(InfraFixture infra)
{
    // Y1/Elastic Premium settings and a bare AzureWebJobsStorage break or are rejected on Flex Consumption;
    // a Billing connection string is for Azurite and must never reach Azure.
    private static readonly string[] Forbidden =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "AzureWebJobsStorage", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "Synaxis__Billing__ConnectionString",
    ];

    private JsonObject Settings => SettingsOf(infra.Default);

    [Fact]
    public void HostStorage_UsesTheIdentity_NotAConnectionString()
    {
        Assert.Equal(Deployment.Name(infra.Default.Single("Microsoft.Storage/storageAccounts")), Get(Settings, "AzureWebJobsStorage__accountName"));
        Assert.Equal("managedidentity", Get(Settings, "AzureWebJobsStorage__credential"));
        Assert.Matches(IdentityProperty("clientId"), Get(Settings, "AzureWebJobsStorage__clientId"));
    }

    [Fact]
    public void AzureClientId_IsTheIdentitysClientId()
    {
        Assert.Matches(IdentityProperty("clientId"), Get(Settings, "AZURE_CLIENT_ID"));
    }

    [Fact]
    public void KeyVaultUri_AndTableEndpoint_ComeFromTheDeployedResources()
    {
        var vault = Deployment.Id(infra.Default.Single("Microsoft.KeyVault/vaults"));
        var storage = Deployment.Id(infra.Default.Single("Microsoft.Storage/storageAccounts"));

        Assert.Matches($@"^\[reference\('{Regex.Escape(vault)}', '[^']+'\)\.vaultUri\]$", Get(Settings, "Synaxis__KeyVault__VaultUri"));
        Assert.Matches($@"^\[reference\('{Regex.Escape(storage)}', '[^']+'\)\.primaryEndpoints\.table\]$", Get(Settings, "Synaxis__Billing__TableServiceUri"));
    }

    [Fact]
    public void KeySecrets_NameVaultSecretsTheDeploymentCanSeed()
    {
        var secrets = infra.Default.All("Microsoft.KeyVault/vaults/secrets").Select(s => Deployment.Name(s).Split('/')[^1]).ToList();

        Assert.Equal("synaxis-client-keys", Get(Settings, "Synaxis__ApiKeysSecret"));
        Assert.Equal("synaxis-admin-key", Get(Settings, "Synaxis__AdminKeySecret"));
        Assert.Contains("synaxis-client-keys", secrets);
        Assert.Contains("synaxis-admin-key", secrets);
    }

    [Fact]
    public void Telemetry_GoesToApplicationInsights_WithEntraAuthentication()
    {
        var component = Deployment.Id(infra.Default.Single("Microsoft.Insights/components"));

        Assert.Matches($@"^\[reference\('{Regex.Escape(component)}', '[^']+'\)\.ConnectionString\]$", Get(Settings, "APPLICATIONINSIGHTS_CONNECTION_STRING"));
        var authentication = Get(Settings, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD', ", authentication, StringComparison.Ordinal);
        Assert.Matches(IdentityProperty("clientId", anchored: false), authentication);
    }

    [Fact]
    public void NoSettingFlexConsumptionRejects_OrAzureMustNotUse()
    {
        Assert.All(new[] { Settings, SettingsOf(infra.Customised) }, settings =>
            Assert.DoesNotContain(settings, s => Forbidden.Contains(s.Key, StringComparer.OrdinalIgnoreCase)));
    }

    [Fact]
    public void ExtraSettings_AreAdded_ButCannotReplaceWiredOnes()
    {
        var settings = SettingsOf(infra.Customised);

        Assert.Equal("gpt-4o", Get(settings, "Synaxis__Models__0__Name"));
        Assert.Equal("openai-api-key", Get(settings, "Synaxis__Models__0__ApiKeySecret"));
        Assert.NotEqual("00000000-0000-0000-0000-000000000000", Get(settings, "AZURE_CLIENT_ID"));
        Assert.Matches(IdentityProperty("clientId", anchored: false), Get(settings, "AZURE_CLIENT_ID"));
        Assert.Equal(Settings.Count + 2, settings.Count);
    }

    [Fact]
    public void EverySetting_IsDocumentedOnce_InTheReadmesDeploySection()
    {
        var documented = DocumentedSettings();

        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(Settings.Select(s => s.Key).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    private static JsonObject SettingsOf(Deployment deployment) =>
        deployment.All("Microsoft.Web/sites/config").Single(c => Deployment.Name(c).EndsWith("/appsettings", StringComparison.Ordinal))["properties"]!.AsObject();

    private static string Get(JsonObject settings, string name)
    {
        Assert.True(settings.ContainsKey(name), $"app setting {name} is not set");
        return settings[name]!.GetValue<string>();
    }

    private string IdentityProperty(string property, bool anchored = true)
    {
        var identity = Regex.Escape(Deployment.Id(infra.Default.Single("Microsoft.ManagedIdentity/userAssignedIdentities")));
        var reference = $@"reference\('{identity}', '[^']+'\)\.{property}";
        return anchored ? $@"^\[{reference}\]$" : reference;
    }

    // The first column of the table under "### App settings" in "## Deploy to Azure".
    private static List<string> DocumentedSettings()
    {
        var readme = Repository.Text("README.md");
        var deploy = readme.IndexOf("\n## Deploy to Azure", StringComparison.Ordinal);
        Assert.True(deploy >= 0, "README.md has no '## Deploy to Azure' section");
        var start = readme.IndexOf("\n### App settings", deploy, StringComparison.Ordinal);
        var nextSection = readme.IndexOf("\n## ", deploy + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && (nextSection < 0 || start < nextSection), "'## Deploy to Azure' has no '### App settings' table");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var table = end < 0 ? readme[start..] : readme[start..end];
        return SettingRow().Matches(table).Select(m => m.Groups["name"].Value).ToList();
    }

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex SettingRow();
}
