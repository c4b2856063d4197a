using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>Provider and gateway keys go into the vault and nowhere else: not app settings, not outputs.</summary>
[Collection(InfraCollection.Name)]
public sealed class SecretTests(InfraFixture infra)
{
    private static readonly string[] SeededSecretNames =
        ["anthropic-api-key", "azure-openai-api-key", "gemini-api-key", "openai-api-key", "synaxis-admin-key", "synaxis-client-keys"];

    [Fact]
    public void SecureParameters_SeedTheVault_UnderTheContractsSecretNames_OnlyWhenNotEmpty()
    {
        var secrets = infra.Customised.All("Microsoft.KeyVault/vaults/secrets").ToList();
        var vault = Deployment.Name(infra.Customised.Single("Microsoft.KeyVault/vaults"));

        Assert.Equal(SeededSecretNames, secrets.Select(s => Deployment.Name(s)).Order(StringComparer.Ordinal).Select(n => n[(vault.Length + 1)..]));
        Assert.All(secrets, s => Assert.StartsWith("[not(empty(", s["condition"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void SecureParameters_AreDeclaredSecure()
    {
        var parameters = infra.Compiled.Main["parameters"]!.AsObject();

        Assert.All(
            ["openAiApiKey", "anthropicApiKey", "geminiApiKey", "azureOpenAiApiKey", "adminKey", "clientApiKeys"],
            name => Assert.Equal("securestring", parameters[name]!["type"]!.GetValue<string>(), ignoreCase: true));
    }

    [Fact]
    public void NoSecretValue_AppearsAnywhereInThePredictedDeployment()
    {
        Assert.All(InfraFixture.SecretSentinels.Values.SelectMany(v => v.Split(',')), sentinel =>
            Assert.DoesNotContain(sentinel, infra.Customised.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void SecureValues_FlowOnlyIntoVaultSecrets()
    {
        // Every other parameter is evaluated by the prediction, so any parameters(...) left in a resource is a secure value.
        Assert.All(infra.Customised.Resources.Where(r => Type(r) != "Microsoft.KeyVault/vaults/secrets"), r =>
            Assert.DoesNotContain("parameters(", Json.Text(r), StringComparison.Ordinal));
        Assert.DoesNotContain("parameters(", Json.Text(infra.Customised.Outputs), StringComparison.Ordinal);
    }

    [Fact]
    public void NoTemplate_OutputsASecureParameter_KeysOrAConnectionString()
    {
        Assert.All(infra.Compiled.Templates, template =>
        {
            var secureParameters = (template.Value["parameters"]?.AsObject() ?? [])
                .Where(p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                .Select(p => $"parameters('{p.Key}')")
                .ToList();
            foreach (var (name, output) in template.Value["outputs"]?.AsObject() ?? [])
            {
                var value = Json.Text(output!["value"]);
                Assert.DoesNotContain("secure", output["type"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
                Assert.All(secureParameters, p => Assert.False(value.Contains(p, StringComparison.Ordinal), $"{template.Key} outputs {name} from {p}"));
            }
        });
    }

    private static string Type(System.Text.Json.Nodes.JsonObject resource) => resource["type"]!.GetValue<string>();
}
