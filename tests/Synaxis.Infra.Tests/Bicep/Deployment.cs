using System.Text.Json.Nodes;

namespace Synaxis.Infra.Tests.Bicep;

/// <summary>
/// What infra/main.bicep would deploy for one set of parameters, predicted offline by
/// <c>bicep snapshot</c>: every resource of every module with its properties evaluated as far as
/// possible before deployment. What only exists after deployment (an identity's principal id, a
/// vault's URI) stays an expression naming the resource it comes from, and secure parameters are
/// never evaluated.
/// </summary>
internal sealed class Deployment
{
    public const string SubscriptionId = "8d3c1b2a-0000-4000-8000-00000000c0de";
    public const string TenantId = "5f1e7a9b-0000-4000-8000-0000000be7a0";

    private Deployment(JsonObject snapshot)
    {
        Resources = snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Outputs = snapshot["outputs"]!.AsObject();
        Diagnostics = snapshot["diagnostics"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Text = Json.Text(snapshot);
    }

    public IReadOnlyList<JsonObject> Resources { get; }

    public JsonObject Outputs { get; }

    public IReadOnlyList<string> Diagnostics { get; }

    /// <summary>The whole prediction as JSON, for checks that nothing leaks anywhere.</summary>
    public string Text { get; }

    public IEnumerable<JsonObject> All(string type) =>
        Resources.Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(All(type));

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static string Name(JsonObject resource) => resource["name"]!.GetValue<string>();

    /// <summary>Predicts the deployment azd would make with this azd environment (the values main.parameters.json reads).</summary>
    public static Deployment Predict(IReadOnlyDictionary<string, string> azdEnvironment, JsonObject? overrides = null)
    {
        var values = AzdParameters.Read(azdEnvironment);
        foreach (var (name, value) in overrides ?? [])
        {
            values[name] = value?.DeepClone();
        }

        var location = values["location"]!.GetValue<string>();
        var directory = Directory.CreateTempSubdirectory("synaxis-infra-");
        try
        {
            var mainBicep = Path.Combine(Repository.Infra, "main.bicep");
            var parameters = Path.Combine(directory.FullName, "main.bicepparam");
            File.WriteAllText(parameters, AzdParameters.ToBicepParam(Path.GetRelativePath(directory.FullName, mainBicep), values));

            var result = BicepCli.Run(directory.FullName,
                "snapshot", parameters,
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId,
                "--location", location, "--deployment-name", "azd-deployment");
            Assert.True(result.ExitCode == 0, $"bicep snapshot failed:\n{result.Output}");

            var snapshot = Path.Combine(directory.FullName, "main.snapshot.json");
            return new Deployment(JsonNode.Parse(File.ReadAllText(snapshot))!.AsObject());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
