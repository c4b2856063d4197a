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

    private static ModelOptions Mock(string name) => new() { Name = name, Provider = "mock" };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(params ModelOptions[] models) =>
        new GatewayOptionsValidator().Validate(null, new GatewayOptions { Models = [.. models] });
}
