using System.Text.Json.Nodes;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace Synaxis.Infra.Tests;

/// <summary>azure.yaml and main.parameters.json: what azd reads before it provisions and deploys.</summary>
[Collection(InfraCollection.Name)]
public sealed class AzdProjectTests(InfraFixture infra)
{
    [Fact]
    public void AzureYaml_DeclaresTheFunctionsProject_AsOneDotnetFunctionService()
    {
        var service = (YamlMappingNode)AzureYaml.Services().Children.Single().Value;

        Assert.Equal("api", AzureYaml.ServiceName());
        Assert.Equal("function", AzureYaml.Scalar(service, "host"));
        Assert.Equal("dotnet", AzureYaml.Scalar(service, "language"));
        Assert.Equal(
            Repository.PathOf("src/Synaxis.Functions"),
            Path.GetFullPath(Path.Combine(Repository.Root, AzureYaml.Scalar(service, "project"))).TrimEnd('/'));
    }

    [Fact]
    public void ServiceProject_IsAFunctionsApp_ThatPublishesHostJson()
    {
        // azd runs `dotnet publish` on the project folder and zips the output; the host needs host.json at its root.
        var service = (YamlMappingNode)AzureYaml.Services().Children.Single().Value;
        var folder = Path.Combine(Repository.Root, AzureYaml.Scalar(service, "project"));
        var project = XDocument.Load(Assert.Single(Directory.GetFiles(folder, "*.csproj")));

        Assert.Equal("v4", project.Descendants("AzureFunctionsVersion").Single().Value);
        Assert.Equal("Exe", project.Descendants("OutputType").Single().Value);
        var hostJson = project.Descendants("None").Single(n => (string?)n.Attribute("Link") == "host.json");
        Assert.Equal("PreserveNewest", (string?)hostJson.Attribute("CopyToPublishDirectory"));
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(folder, ((string)hostJson.Attribute("Include")!).Replace('\\', '/')))));
    }

    [Fact]
    public void Parameters_TakeEnvironmentLocationAndPrincipalFromAzd()
    {
        var parameters = ParametersFile();

        Assert.Equal("${AZURE_ENV_NAME}", Value(parameters, "environmentName"));
        Assert.Equal("${AZURE_LOCATION}", Value(parameters, "location"));
        Assert.Equal("${AZURE_PRINCIPAL_ID}", Value(parameters, "principalId"));
        Assert.Equal("${AZURE_PRINCIPAL_TYPE=User}", Value(parameters, "principalType"));
    }

    [Fact]
    public void Parameters_NameOnlyParametersTheTemplateDeclares_AndEveryRequiredOne()
    {
        var declared = infra.Compiled.Main["parameters"]!.AsObject();
        var given = ParametersFile().Select(p => p.Key).ToList();

        Assert.All(given, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare"));
        Assert.All(
            declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key),
            name => Assert.Contains(name, given));
    }

    [Fact]
    public void Parameters_HoldNoSecret_OnlyReferencesToTheAzdEnvironment()
    {
        var declared = infra.Compiled.Main["parameters"]!.AsObject();
        var secure = declared.Where(p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.Equal(6, secure.Count);
        Assert.All(secure, p => Assert.Matches(@"^\$\{VAULT_[A-Z_]+\}$", Value(ParametersFile(), p.Key)));
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(Repository.Text("infra/main.parameters.json"))!["parameters"]!.AsObject();

    private static string Value(JsonObject parameters, string name) => parameters[name]!["value"]!.GetValue<string>();
}
