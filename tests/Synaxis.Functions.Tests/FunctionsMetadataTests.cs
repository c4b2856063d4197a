using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.Functions.Tests;

/// <summary>
/// Reads what the build hands the Functions host (<c>functions.metadata</c>, <c>host.json</c>,
/// <c>worker.config.json</c>) so that <c>func start</c> and Azure serve exactly the routes the README promises.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string Output = FindBuildOutput();

    public static TheoryData<string, string, string> ExpectedFunctions => new()
    {
        { "ChatCompletions", "post", "v1/chat/completions" },
        { "Embeddings", "post", "v1/embeddings" },
        { "Messages", "post", "v1/messages" },
        { "ListModels", "get", "v1/models" },
        { "GetModel", "get", "v1/models/{id}" },
        { "Health", "get", "health" },
        { "Usage", "get", "v1/usage" },
        { "CreateKey", "post", "v1/admin/keys" },
        { "ListKeys", "get", "v1/admin/keys" },
        { "GetKey", "get", "v1/admin/keys/{id}" },
        { "UpdateKey", "patch", "v1/admin/keys/{id}" },
        { "DeleteKey", "delete", "v1/admin/keys/{id}" },
        { "CreditKey", "post", "v1/admin/keys/{id}/credit" },
        { "RevokeKey", "post", "v1/admin/keys/{id}/revoke" },
        { "KeyUsage", "get", "v1/admin/usage" },
        { "Readiness", "get", "health/ready" },
        { "Playground", "get", "playground" },
        { "PlaygroundAsset", "get", "playground/{asset}" },
    };

    [Theory]
    [MemberData(nameof(ExpectedFunctions))]
    public void Metadata_DeclaresFunction_WithRouteMethodAndAnonymousAuth(string name, string method, string route)
    {
        var function = Functions().Single(f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;

        Assert.Equal("dotnet-isolated", function["language"]!.GetValue<string>());
        Assert.Equal("Synaxis.Functions.dll", function["scriptFile"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        // The gateway checks its own bearer keys; a function key would lock out every OpenAI client.
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_NoRouteStartsWithAdmin_WhichTheFunctionsHostKeepsForItself()
    {
        // The host refuses such a function at start ("conflicts with one or more built in routes").
        var routes = Functions().SelectMany(f => f!["bindings"]!.AsArray()).Select(b => b!["route"]?.GetValue<string>()).OfType<string>();
        Assert.DoesNotContain(routes, route => route.TrimStart('/').StartsWith("admin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Metadata_DeclaresNoOtherFunctions()
    {
        Assert.Equal(
            ExpectedFunctions.Select(row => (string)row[0]).Order(),
            Functions().Select(f => f!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public void HostJson_InBuildOutput_ServesRoutesWithoutPrefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Null(host["extensionBundle"]); // a precompiled .NET app must not declare a bundle
    }

    [Fact]
    public void WorkerConfig_StartsTheIsolatedWorker()
    {
        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "worker.config.json")))!["description"]!;

        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("Synaxis.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
    }

    [Fact]
    public void LocalSettingsSample_RunsIsolatedOnTheSeedPortWithCors()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "local.settings.sample.json")))!;

        Assert.Equal("dotnet-isolated", settings["Values"]!["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal(8080, settings["Host"]!["LocalHttpPort"]!.GetValue<int>());
        Assert.Equal("*", settings["Host"]!["CORS"]!.GetValue<string>());
        Assert.Equal("gpt-4", settings["Values"]!["Synaxis__Models__0__Name"]!.GetValue<string>());
    }

    private static JsonArray Functions() => JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")))!.AsArray();

    // The Functions project builds beside this one with the same configuration and framework.
    private static string FindBuildOutput()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var output = Path.Combine(Fixtures.RepositoryRoot, "src", "Synaxis.Functions", "bin", configuration, framework);
        Assert.True(File.Exists(Path.Combine(output, "functions.metadata")), $"functions.metadata not found in {output}");
        return output;
    }
}
