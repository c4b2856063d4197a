using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Functions.Tests;

/// <summary>The catalog shipped in the package (<c>models.json</c>) is the default that app settings override.</summary>
public sealed class DefaultCatalogTests
{
    private static readonly string Output = Path.GetDirectoryName(typeof(DefaultCatalog).Assembly.Location)!;

    [Fact]
    public void ModelsJson_IsInTheBuildOutput_AndServesTheMockModelsWithoutKeys()
    {
        var configuration = new ConfigurationManager();
        configuration.AddDefaultCatalog(Output);

        var catalog = Catalog(configuration);

        Assert.Equal(["gpt-4", "synaxis-mock"], catalog.Models.Select(m => m.Name));
        Assert.All(catalog.Deployments, d => Assert.Equal("mock", d.Provider));
        Assert.True(catalog.TryResolve("gpt-4o-mini", out _));
    }

    [Fact]
    public void AppSettings_OverrideTheShippedCatalog_EntryByEntry()
    {
        // Environment variables are what app settings (and local.settings.json under func start) become.
        var prefix = $"SYNAXIS_CATALOG_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Synaxis__Models__1__Name", "llama-local");
        Environment.SetEnvironmentVariable(prefix + "Synaxis__Models__1__Provider", "openai");
        Environment.SetEnvironmentVariable(prefix + "Synaxis__Models__1__BaseUrl", "http://127.0.0.1:11434/v1");
        try
        {
            var configuration = new ConfigurationManager();
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Synaxis:Models:0:OwnedBy"] = "below the file" });
            configuration.AddEnvironmentVariables(prefix);
            configuration.AddDefaultCatalog(Output);

            var catalog = Catalog(configuration);

            Assert.Equal(["gpt-4", "llama-local"], catalog.Models.Select(m => m.Name));
            Assert.Equal("openai", catalog.Models[1].Deployments.Single().Provider);
            Assert.Equal("synaxis-mock", catalog.Models[0].OwnedBy); // the file sits above sources added before the environment
        }
        finally
        {
            foreach (var name in new[] { "Name", "Provider", "BaseUrl" })
            {
                Environment.SetEnvironmentVariable(prefix + "Synaxis__Models__1__" + name, null);
            }
        }
    }

    [Fact]
    public void MissingFile_LeavesTheCatalogToSettings()
    {
        var empty = Directory.CreateTempSubdirectory("synaxis-empty-");
        try
        {
            var configuration = new ConfigurationManager();
            configuration.AddDefaultCatalog(empty.FullName);

            Assert.Empty(Catalog(configuration).Models);
        }
        finally
        {
            empty.Delete();
        }
    }

    private static ModelCatalog Catalog(IConfiguration configuration)
    {
        using var services = new ServiceCollection().AddLogging().AddSynaxisGateway(configuration).BuildServiceProvider();
        _ = services.GetRequiredService<IOptions<GatewayOptions>>().Value; // validates, as the host does at start
        return services.GetRequiredService<ModelCatalog>();
    }
}
