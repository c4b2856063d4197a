using YamlDotNet.RepresentationModel;

namespace Synaxis.Infra.Tests;

/// <summary>The azd project file at the repository root.</summary>
internal static class AzureYaml
{
    public static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repository.Text("azure.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlMappingNode Services() => (YamlMappingNode)Root()["services"];

    /// <summary>The one service's key, which the function app's azd-service-name tag must equal.</summary>
    public static string ServiceName() => ((YamlScalarNode)Services().Children.Single().Key).Value!;

    public static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
