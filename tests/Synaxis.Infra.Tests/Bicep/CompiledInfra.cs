using System.Text.Json.Nodes;

namespace Synaxis.Infra.Tests.Bicep;

/// <summary>Every .bicep file under infra/ linted and compiled to ARM JSON, once for all tests.</summary>
internal sealed class CompiledInfra
{
    private CompiledInfra(IReadOnlyList<string> sources, BicepResult lint, BicepResult build, IReadOnlyDictionary<string, JsonObject> templates)
    {
        Sources = sources;
        Lint = lint;
        Build = build;
        Templates = templates;
    }

    /// <summary>The .bicep files, relative to infra/.</summary>
    public IReadOnlyList<string> Sources { get; }

    public BicepResult Lint { get; }

    public BicepResult Build { get; }

    /// <summary>The ARM JSON of each compiled file, keyed by the relative path of its .bicep source.</summary>
    public IReadOnlyDictionary<string, JsonObject> Templates { get; }

    public JsonObject Main => Templates["main.bicep"];

    public static CompiledInfra Compile()
    {
        var sources = Directory.EnumerateFiles(Repository.Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Infra, f))
            .Order(StringComparer.Ordinal)
            .ToList();

        var lint = BicepCli.Run(Repository.Infra, "lint", "--pattern", "**/*.bicep");

        var output = Directory.CreateTempSubdirectory("synaxis-infra-build-");
        try
        {
            var build = BicepCli.Run(Repository.Infra, "build", "--pattern", "**/*.bicep", "--outdir", output.FullName);
            var templates = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                var compiled = Path.Combine(output.FullName, Path.ChangeExtension(source, ".json"));
                if (File.Exists(compiled))
                {
                    templates[source] = JsonNode.Parse(File.ReadAllText(compiled))!.AsObject();
                }
            }

            return new CompiledInfra(sources, lint, build, templates);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
