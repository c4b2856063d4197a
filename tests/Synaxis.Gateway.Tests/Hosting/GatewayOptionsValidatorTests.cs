using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Hosting;

/// <summary>A catalog that cannot work stops the gateway at start, naming the entry at fault.</summary>
public sealed class GatewayOptionsValidatorTests
{
    [Fact]
    public void WorkingCatalog_Passes()
    {
        var result = Validate(
            new ModelOptions { Name = "gpt-4", Aliases = ["gpt4"], Provider = "openai", BaseUrl = "https://api.openai.com/v1" },
            new ModelOptions { Name = "llama3", Provider = "OpenAI", BaseUrl = "http://localhost:11434/v1" },
            new ModelOptions { Name = "mock", Provider = "mock" },
            new ModelOptions { Name = "gpt-4o-azure", Provider = "azure-openai", BaseUrl = "https://synaxis.openai.azure.com" },
            new ModelOptions { Name = "gemini-2.5-flash", Provider = "gemini" },
            new ModelOptions { Name = "gemini-proxied", Provider = "Gemini", BaseUrl = "https://proxy.example.com/v1beta" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void EmptyCatalog_Passes()
    {
        Assert.True(Validate().Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void MissingName_Fails(string? name)
    {
        var result = Validate(Mock("ok"), new ModelOptions { Name = name, Provider = "mock" });

        Assert.Equal(["Synaxis:Models:1:Name is required."], result.Failures);
    }

    [Theory]
    [InlineData("gpt-4", "gpt-4")]
    [InlineData("gpt-4", "GPT-4")]
    public void DuplicateName_Fails(string first, string second)
    {
        var result = Validate(Mock(first), Mock(second));

        Assert.Equal([$"Synaxis:Models:1: the model name '{second}' is used twice."], result.Failures);
    }

    [Fact]
    public void AliasThatIsAnotherModelsName_Fails()
    {
        var result = Validate(Mock("gpt-4"), new ModelOptions { Name = "fast", Aliases = ["gpt-4"], Provider = "mock" });

        Assert.Equal(["Synaxis:Models:1: the model name 'gpt-4' is used twice."], result.Failures);
    }

    [Fact]
    public void AliasUsedTwice_Fails()
    {
        var result = Validate(new ModelOptions { Name = "a", Aliases = ["x"], Provider = "mock" }, new ModelOptions { Name = "b", Aliases = ["X"], Provider = "mock" });

        Assert.False(result.Succeeded);
        Assert.Contains("'X' is used twice", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cohere")]
    [InlineData("")]
    public void UnknownProvider_Fails(string? provider)
    {
        var result = Validate(new ModelOptions { Name = "claude", Provider = provider, BaseUrl = "https://api.anthropic.com/v1" });

        Assert.Equal(["Synaxis:Models:0:Provider for 'claude' must be one of: openai, anthropic, mock, azure-openai, gemini."], result.Failures);
    }

    [Fact]
    public void AnthropicWithoutBaseUrl_IsValid_ItHasADefault()
    {
        var result = Validate(new ModelOptions { Name = "claude", Provider = "anthropic", ApiKeySecret = "anthropic-api-key" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void AnthropicWithARelativeBaseUrl_Fails()
    {
        var result = Validate(new ModelOptions { Name = "claude", Provider = "Anthropic", BaseUrl = "api.anthropic.com/v1" });

        Assert.Equal(["Synaxis:Models:0:BaseUrl for 'claude' must be an absolute http(s) URL, or absent for https://api.anthropic.com/v1/."], result.Failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void MaxOutputTokensBelowOne_Fails(int maxOutputTokens)
    {
        var result = Validate(new ModelOptions { Name = "claude", Provider = "anthropic", MaxOutputTokens = maxOutputTokens });

        Assert.Equal(["Synaxis:Models:0:MaxOutputTokens for 'claude' must be at least 1."], result.Failures);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("api.openai.com/v1")]
    [InlineData("v1/")]
    [InlineData("not a url")]
    public void OpenAIProviderWithoutAbsoluteBaseUrl_Fails(string? baseUrl)
    {
        var result = Validate(new ModelOptions { Name = "gpt-4", Provider = "openai", BaseUrl = baseUrl });

        Assert.Equal(["Synaxis:Models:0:BaseUrl for 'gpt-4' must be an absolute http(s) URL such as https://api.openai.com/v1."], result.Failures);
    }

    [Theory]
    [InlineData("localhost:11434/v1")]
    [InlineData("/v1")]
    [InlineData("ftp://api.openai.com/v1")]
    public void OpenAIProviderWithNonHttpBaseUrl_Fails(string baseUrl)
    {
        Assert.False(Validate(new ModelOptions { Name = "gpt-4", Provider = "openai", BaseUrl = baseUrl }).Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("synaxis.openai.azure.com")]
    public void AzureOpenAIProviderWithoutAbsoluteBaseUrl_Fails(string? baseUrl)
    {
        var result = Validate(new ModelOptions { Name = "gpt-4o", Provider = "azure-openai", BaseUrl = baseUrl });

        Assert.Equal(["Synaxis:Models:0:BaseUrl for 'gpt-4o' must be an absolute http(s) URL such as https://NAME.openai.azure.com."], result.Failures);
    }

    [Fact]
    public void GeminiProviderWithANonHttpBaseUrl_Fails()
    {
        var result = Validate(new ModelOptions { Name = "gemini", Provider = "gemini", BaseUrl = "generativelanguage.googleapis.com/v1beta" });

        Assert.Equal(["Synaxis:Models:0:BaseUrl for 'gemini' must be an absolute http(s) URL."], result.Failures);
    }

    [Fact]
    public void EveryProblem_IsReported()
    {
        var result = Validate(new ModelOptions { Provider = "mock" }, new ModelOptions { Name = "x", Provider = "nope" }, new ModelOptions { Name = "y", Provider = "openai" });

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void NonPositiveLimits_Fail()
    {
        var options = new GatewayOptions { MaxRequestBodyBytes = 0, IdleTimeout = TimeSpan.Zero };

        var result = new GatewayOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["Synaxis:MaxRequestBodyBytes must be positive.", "Synaxis:FirstByteTimeout, IdleTimeout and KeepAliveInterval must be positive."],
            result.Failures);
    }

    [Fact]
    public void ModelWithDeployments_Passes_InheritingTheModelsFields()
    {
        var result = Validate(new ModelOptions
        {
            Name = "gpt-4",
            Provider = "openai",
            ApiKeySecret = "azure-openai-api-key",
            InputPricePerMillion = 30m,
            Deployments =
            [
                new DeploymentOptions { Name = "gpt-4-eastus", BaseUrl = "https://eastus.example.com/v1", Weight = 2 },
                new DeploymentOptions { Name = "gpt-4-westeurope", BaseUrl = "https://westeurope.example.com/v1" },
                new DeploymentOptions { Name = "gpt-4-openai", BaseUrl = "https://api.openai.com/v1", Priority = 2, ApiKeySecret = "openai-api-key" },
            ],
        });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void DeploymentWithoutName_Fails()
    {
        var result = Validate(new ModelOptions { Name = "gpt-4", Provider = "mock", Deployments = [new DeploymentOptions()] });

        Assert.Equal(["Synaxis:Models:0:Deployments:0:Name is required: a unique deployment id such as 'gpt-4-eastus', shown in x-synaxis-deployment."], result.Failures);
    }

    [Fact]
    public void DeploymentNameUsedTwice_AcrossModels_Fails()
    {
        var result = Validate(
            new ModelOptions { Name = "gpt-4", Provider = "mock", Deployments = [new DeploymentOptions { Name = "shared" }] },
            new ModelOptions { Name = "gpt-4o", Provider = "mock", Deployments = [new DeploymentOptions { Name = "SHARED" }] });

        Assert.Equal(["Synaxis:Models:1:Deployments:0: the deployment name 'SHARED' is used twice."], result.Failures);
    }

    [Fact]
    public void DeploymentNamedLikeASingleDeploymentModel_Fails()
    {
        var result = Validate(Mock("gpt-4"), new ModelOptions { Name = "fast", Provider = "mock", Deployments = [new DeploymentOptions { Name = "gpt-4" }] });

        Assert.Equal(["Synaxis:Models:1:Deployments:0: the deployment name 'gpt-4' is used twice."], result.Failures);
    }

    [Fact]
    public void DeploymentProviderAndBaseUrl_AreCheckedWhereTheyAreWritten()
    {
        var result = Validate(new ModelOptions
        {
            Name = "gpt-4",
            Deployments = [new DeploymentOptions { Name = "a", Provider = "mock" }, new DeploymentOptions { Name = "b" }, new DeploymentOptions { Name = "c", Provider = "openai" }],
        });

        Assert.Equal(
            [
                "Synaxis:Models:0:Deployments:1:Provider for 'b' must be one of: openai, anthropic, mock, azure-openai, gemini.",
                "Synaxis:Models:0:Deployments:2:BaseUrl for 'c' must be an absolute http(s) URL such as https://api.openai.com/v1.",
            ],
            result.Failures);
    }

    [Fact]
    public void DeploymentNumbersOutOfRange_Fail_NamingTheField()
    {
        var result = Validate(new ModelOptions
        {
            Name = "gpt-4",
            Provider = "mock",
            Deployments =
            [
                new DeploymentOptions
                {
                    Name = "a",
                    Weight = 0,
                    OutputPricePerMillion = -1m,
                    ContextWindow = 0,
                    ConnectTimeout = TimeSpan.Zero,
                    TotalTimeout = TimeSpan.FromSeconds(-1),
                },
            ],
        });

        Assert.Equal(
            [
                "Synaxis:Models:0:Deployments:0:Weight for 'a' must be 1 or more (use Priority to keep a deployment as a fallback).",
                "Synaxis:Models:0:Deployments:0:OutputPricePerMillion for 'a' must not be negative.",
                "Synaxis:Models:0:Deployments:0:ContextWindow for 'a' must be at least 1.",
                "Synaxis:Models:0:Deployments:0:ConnectTimeout for 'a' must be positive.",
                "Synaxis:Models:0:Deployments:0:TotalTimeout for 'a' must be positive.",
            ],
            result.Failures);
    }

    [Fact]
    public void RoutingOptionsOutOfRange_Fail()
    {
        var options = new GatewayOptions
        {
            Routing = new RoutingOptions
            {
                MaxAttempts = 0,
                RetryDelay = TimeSpan.FromSeconds(5),
                MaxRetryDelay = TimeSpan.FromSeconds(1),
                TimeBudget = TimeSpan.Zero,
                CircuitBreaker = new CircuitBreakerOptions { FailureRatio = 0, MinimumThroughput = 1, BreakDuration = TimeSpan.FromMilliseconds(100) },
            },
        };

        var result = new GatewayOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Synaxis:Routing:MaxAttempts must be 1 or more.",
                "Synaxis:Routing:RetryDelay must not be negative, and MaxRetryDelay must lie between RetryDelay and one hour.",
                "Synaxis:Routing:TimeBudget must be positive.",
                "Synaxis:Routing:CircuitBreaker:FailureRatio must be above 0 and at most 1.",
                "Synaxis:Routing:CircuitBreaker:MinimumThroughput must be 2 or more.",
                "Synaxis:Routing:CircuitBreaker:SamplingDuration and BreakDuration must be at least 00:00:00.5.",
            ],
            result.Failures);
    }

    [Fact]
    public void NonPositiveConnectOrTotalTimeout_Fails()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { ConnectTimeout = TimeSpan.Zero });

        Assert.Equal(["Synaxis:ConnectTimeout and TotalTimeout must be positive."], result.Failures);
    }

    [Fact]
    public void KeyLookupsPerSecondBelowOne_Fails()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { Billing = new() { KeyLookupsPerSecond = 0 } });

        Assert.Equal(["Synaxis:Billing:KeyLookupsPerSecond must be at least 1."], result.Failures);
    }

    private static ModelOptions Mock(string name) => new() { Name = name, Provider = "mock" };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(params ModelOptions[] models) =>
        new GatewayOptionsValidator().Validate(null, new GatewayOptions { Models = [.. models] });
}
