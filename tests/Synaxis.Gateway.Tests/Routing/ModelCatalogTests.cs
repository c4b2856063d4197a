using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Routing;

public sealed class ModelCatalogTests
{
    private static readonly GatewayOptions Gateway = new()
    {
        FirstByteTimeout = TimeSpan.FromSeconds(120),
        IdleTimeout = TimeSpan.FromSeconds(60),
        Models =
        [
            new ModelOptions
            {
                Name = "gpt-4",
                Aliases = ["gpt4", "Smart"],
                Provider = "OpenAI",
                UpstreamModel = "gpt-4o-2024-08-06",
                BaseUrl = "https://api.openai.com/v1",
                ApiKeySecret = "OPENAI_API_KEY",
                OwnedBy = "openai",
                Headers = new() { ["X-Title"] = "Synaxis" },
                FirstByteTimeout = TimeSpan.FromSeconds(10),
            },
            new ModelOptions { Name = "llama3", Provider = "openai", BaseUrl = "http://localhost:11434/v1/", ApiKeySecret = " ", IdleTimeout = TimeSpan.FromSeconds(5) },
            new ModelOptions { Name = "mock", Provider = "mock" },
        ],
    };

    private readonly ModelCatalog _catalog = new(Options.Create(Gateway));

    [Theory]
    [InlineData("gpt-4")]
    [InlineData("GPT-4")]
    [InlineData("gpt4")]
    [InlineData("smart")]
    [InlineData("SMART")]
    public void NamesAndAliases_ResolveCaseInsensitively(string name)
    {
        Assert.True(_catalog.TryResolve(name, out var model));
        Assert.Equal("gpt-4", model.Name);
    }

    [Theory]
    [InlineData("gpt-5")]
    [InlineData("gpt-4 ")]
    [InlineData("")]
    public void UnknownName_DoesNotResolve(string name)
    {
        Assert.False(_catalog.TryResolve(name, out _));
    }

    [Fact]
    public void UpstreamModel_DefaultsToTheName()
    {
        Assert.Equal("gpt-4o-2024-08-06", Resolve("gpt-4").UpstreamModel);
        Assert.Equal("llama3", Resolve("llama3").UpstreamModel);
    }

    [Fact]
    public void PerModelTimeouts_OverrideTheGlobalOnes()
    {
        var gpt4 = Resolve("gpt-4");
        var llama = Resolve("llama3");
        var mock = Resolve("mock");

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)), (gpt4.FirstByteTimeout, gpt4.IdleTimeout));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(5)), (llama.FirstByteTimeout, llama.IdleTimeout));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(60)), (mock.FirstByteTimeout, mock.IdleTimeout));
    }

    [Theory]
    [InlineData("gpt-4", "https://api.openai.com/v1/chat/completions")]
    [InlineData("llama3", "http://localhost:11434/v1/chat/completions")]
    public void BaseUrl_KeepsItsPath_WhenChatCompletionsIsAppended(string name, string expected)
    {
        Assert.Equal(new Uri(expected), new Uri(Resolve(name).BaseUrl!, "chat/completions"));
    }

    [Fact]
    public void Provider_IsLowerCased_AndOwnerDefaults()
    {
        Assert.Equal("openai", Resolve("gpt-4").Provider);
        Assert.Equal("openai", Resolve("gpt-4").OwnedBy);
        Assert.True(_catalog.TryResolve("mock", out var mock));
        Assert.Equal("synaxis", mock.OwnedBy);
        Assert.Equal("synaxis", Resolve("mock").OwnedBy);
        Assert.Null(Resolve("mock").BaseUrl);
    }

    [Fact]
    public void BlankApiKeySecret_MeansKeyless()
    {
        Assert.Equal("OPENAI_API_KEY", Resolve("gpt-4").ApiKeySecret);
        Assert.Null(Resolve("llama3").ApiKeySecret);
    }

    [Fact]
    public void Headers_AreKept_CaseInsensitively()
    {
        Assert.Equal("Synaxis", Resolve("gpt-4").Headers["x-title"]);
    }

    [Fact]
    public void Models_ListsEachModelOnceInConfigurationOrder()
    {
        Assert.Equal(["gpt-4", "llama3", "mock"], _catalog.Models.Select(m => m.Name));
    }

    // A model written without Deployments is its own single deployment.
    [Fact]
    public void Deployments_InheritTheModelsFields_AndOverrideThem()
    {
        var catalog = new ModelCatalog(Options.Create(new GatewayOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            FirstByteTimeout = TimeSpan.FromSeconds(120),
            IdleTimeout = TimeSpan.FromSeconds(60),
            TotalTimeout = TimeSpan.FromMinutes(10),
            Models =
            [
                new ModelOptions
                {
                    Name = "gpt-4",
                    OwnedBy = "openai",
                    Provider = "openai",
                    UpstreamModel = "gpt-4o",
                    ApiKeySecret = "azure-openai-api-key",
                    Headers = new() { ["X-Title"] = "Synaxis", ["X-Region"] = "any" },
                    InputPricePerMillion = 2.5m,
                    OutputPricePerMillion = 10m,
                    IdleTimeout = TimeSpan.FromSeconds(20),
                    Deployments =
                    [
                        new DeploymentOptions { Name = "gpt-4-eastus", BaseUrl = "https://eastus.example.com/v1", Weight = 3, Headers = new() { ["X-Region"] = "eastus" } },
                        new DeploymentOptions
                        {
                            Name = "gpt-4-openai", BaseUrl = "https://api.openai.com/v1", Priority = 2, ApiKeySecret = "openai-api-key",
                            UpstreamModel = "gpt-4o-2024-08-06", CachedInputPricePerMillion = 1.25m, MaxOutputTokens = 16384, ContextWindow = 128000,
                            ConnectTimeout = TimeSpan.FromSeconds(3), FirstByteTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2),
                        },
                        new DeploymentOptions { Name = "gpt-4-local", Provider = "mock", ApiKeySecret = "" },
                    ],
                },
            ],
        }));

        Assert.True(catalog.TryResolve("gpt-4", out var model));
        Assert.Equal(["gpt-4-eastus", "gpt-4-openai", "gpt-4-local"], model.Deployments.Select(d => d.Name));
        var (east, openai, local) = (model.Deployments[0], model.Deployments[1], model.Deployments[2]);

        Assert.Equal(("openai", "gpt-4o", "azure-openai-api-key", 3, 1), (east.Provider, east.UpstreamModel, east.ApiKeySecret, east.Weight, east.Priority));
        Assert.Equal(("Synaxis", "eastus"), (east.Headers["x-title"], east.Headers["X-Region"]));
        Assert.Equal((2.5m, 10m, (decimal?)null), (east.InputPricePerMillion, east.OutputPricePerMillion, east.CachedInputPricePerMillion));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(10)),
            (east.ConnectTimeout, east.FirstByteTimeout, east.IdleTimeout, east.TotalTimeout));

        Assert.Equal(("gpt-4o-2024-08-06", "openai-api-key", 1, 2), (openai.UpstreamModel, openai.ApiKeySecret, openai.Weight, openai.Priority));
        Assert.Equal((1.25m, 16384, 128000), (openai.CachedInputPricePerMillion, openai.MaxOutputTokens, openai.ContextWindow));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)), (openai.ConnectTimeout, openai.FirstByteTimeout, openai.TotalTimeout));

        Assert.Equal(("mock", null), (local.Provider, local.ApiKeySecret)); // a blank secret says keyless, whatever the model names
        Assert.Equal("openai", local.OwnedBy);
        Assert.Equal(3, catalog.Deployments.Count);
    }

    [Fact]
    public void SingleDeploymentModel_IsItsOwnDeployment_NamedLikeTheModel()
    {
        Assert.True(_catalog.TryResolve("gpt4", out var model));

        var deployment = Assert.Single(model.Deployments);
        Assert.Equal("gpt-4", deployment.Name);
        Assert.Equal((1, 1), (deployment.Weight, deployment.Priority));
    }

    private ModelDeployment Resolve(string name) => _catalog.TryResolve(name, out var model) ? model.Deployments.Single() : throw new KeyNotFoundException(name);
}
