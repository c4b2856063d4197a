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
    private ModelDeployment Resolve(string name) => _catalog.TryResolve(name, out var model) ? model.Deployments.Single() : throw new KeyNotFoundException(name);
}
