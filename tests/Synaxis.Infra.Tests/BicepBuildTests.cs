using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>Every .bicep file compiles and lints with no finding at all, and the configuration makes findings fail.</summary>
[Collection(InfraCollection.Name)]
public sealed class BicepBuildTests(InfraFixture infra)
{
    [Fact]
    public void EveryBicepFile_Lints_WithoutAnyDiagnostic()
    {
        var lint = infra.Compiled.Lint;

        Assert.True(lint.ExitCode == 0 && lint.Output.Length == 0, $"bicep lint reported:\n{lint.Output}");
    }

    [Fact]
    public void EveryBicepFile_Compiles_WithoutAnyDiagnostic()
    {
        var build = infra.Compiled.Build;

        Assert.True(build.ExitCode == 0 && build.Output.Length == 0, $"bicep build reported:\n{build.Output}");
        Assert.Equal(infra.Compiled.Sources, infra.Compiled.Templates.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("main.bicep", infra.Compiled.Sources);
        Assert.True(infra.Compiled.Sources.Count > 1, "the modules under infra/modules were not found");
    }

    [Fact]
    public void BicepConfig_TurnsALinterWarningIntoAFailedBuild()
    {
        // An unused parameter is only a warning under Bicep's defaults.
        var directory = Directory.CreateTempSubdirectory("synaxis-infra-lint-");
        try
        {
            var file = Path.Combine(directory.FullName, "unused.bicep");
            File.WriteAllText(file, "param unused string\n");

            var result = BicepCli.Run(directory.FullName, "build", file, "--stdout", "--config", Path.Combine(Repository.Infra, "bicepconfig.json"));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Error no-unused-params", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Snapshot_PredictsEveryModule_WithoutShortCircuiting()
    {
        // A module the prediction cannot expand would hide its resources from every test below.
        Assert.Empty(infra.Default.Diagnostics);
        Assert.Empty(infra.Customised.Diagnostics);
    }
}
