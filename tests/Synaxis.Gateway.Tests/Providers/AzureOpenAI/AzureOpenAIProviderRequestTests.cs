using System.Net;
using Azure.Core;
using Moq;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.AzureOpenAI.AzureHarness;

namespace Synaxis.Gateway.Tests.Providers.AzureOpenAI;

/// <summary>What Azure receives: the deployment URL with its api-version, or the v1 URL, and an api-key or an Entra ID token.</summary>
public sealed class AzureOpenAIProviderRequestTests
{
    private const string V1Stream = "azure/chat-stream-v1-include-usage.sse";

    [Fact]
    public async Task Stream_PostsToTheDeploymentUrl_WithTheDefaultGaApiVersion_AndTheApiKeyHeader()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(V1Stream));

        await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://synaxis-test.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21"), sent.Uri);
        Assert.Equal(SecretValue, sent.Headers["api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("text/event-stream", sent.Headers["Accept"]);
    }

    [Fact]
    public async Task Request_UsesTheConfiguredApiVersion()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        await Provider(handler).CompleteAsync(Call(CompleteRequest, Deployment(apiVersion: "2025-01-01-preview")), CancellationToken.None);

        Assert.Equal("?api-version=2025-01-01-preview", handler.Requests[0].Uri.Query);
    }

    [Theory]
    [InlineData("https://synaxis-test.openai.azure.com/openai/v1/", null, "https://synaxis-test.openai.azure.com/openai/v1/chat/completions")]
    [InlineData("https://synaxis-test.openai.azure.com/openai/v1/", "preview", "https://synaxis-test.openai.azure.com/openai/v1/chat/completions?api-version=preview")]
    [InlineData("https://apim.example.com/aoai/", null, "https://apim.example.com/aoai/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21")]
    public async Task Request_GoesWhereTheBaseUrlSays(string baseUrl, string? apiVersion, string expected)
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(V1Stream));

        await Provider(handler).StreamAsync(Call(StreamRequest, Deployment(baseUrl, apiVersion: apiVersion)), CancellationToken.None);

        Assert.Equal(new Uri(expected), handler.Requests[0].Uri);
    }

    [Fact]
    public async Task V1Api_NamesTheDeploymentAsTheModel()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(V1Stream));

        await Provider(handler).StreamAsync(Call(StreamRequest, Deployment("https://synaxis-test.openai.azure.com/openai/v1/")), CancellationToken.None);

        Assert.Equal("gpt-4o-prod", handler.Requests[0].Json["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2024-10-21")]
    [InlineData("2025-04-01-preview")]
    public async Task Stream_AsksForUsage_WhereTheApiVersionKnowsStreamOptions(string? apiVersion)
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(V1Stream));

        await Provider(handler).StreamAsync(Call(StreamRequest, Deployment(apiVersion: apiVersion)), CancellationToken.None);

        Assert.True(handler.Requests[0].Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("2023-07-01-preview")]
    [InlineData("2024-06-01")]
    public async Task Stream_OnAnOlderApiVersion_SendsNoStreamOptions_EvenWhenTheClientAsked(string apiVersion)
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes("azure/chat-stream-text-content-filter.sse"));
        var request = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""";

        await Provider(handler).StreamAsync(Call(request, Deployment(apiVersion: apiVersion)), CancellationToken.None);

        Assert.False(handler.Requests[0].Json.ContainsKey("stream_options"));
    }

    [Fact]
    public async Task Keyless_SendsAnEntraIdBearerToken_ForTheCognitiveServicesScope()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes(V1Stream));
        var credential = Credential(EntraToken, DateTimeOffset.UtcNow.AddHours(1));

        await Provider(handler, credential: credential).StreamAsync(Call(StreamRequest, Deployment(apiKeySecret: null)), CancellationToken.None);

        var sent = handler.Requests[0];
        Assert.Equal($"Bearer {EntraToken}", sent.Headers["Authorization"]);
        Assert.False(sent.Headers.ContainsKey("api-key"));
        credential.Verify(c => c.GetTokenAsync(
            It.Is<TokenRequestContext>(t => t.Scopes.SequenceEqual(new[] { "https://cognitiveservices.azure.com/.default" })), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Keyless_ManyRequests_AskTheCredentialOnce()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var credential = Credential(EntraToken, DateTimeOffset.UtcNow.AddHours(1));
        var provider = Provider(handler, credential: credential);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => provider.CompleteAsync(Call(CompleteRequest, Deployment(apiKeySecret: null)), CancellationToken.None)));

        Assert.Equal(20, handler.Requests.Count);
        credential.Verify(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Keyless_WhenNoTokenCanBeHad_FailsAsNotConfigured_WithoutCallingAzure()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var credential = new Mock<TokenCredential>();
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.Identity.CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint."));

        var result = await Provider(handler, credential: credential).CompleteAsync(Call(CompleteRequest, Deployment(apiKeySecret: null)), CancellationToken.None);

        Assert.Empty(handler.Requests);
        var error = UpstreamErrors.ToApiError(result.Failure!, "gpt-4o");
        Assert.Equal((500, "upstream_not_configured"), (error.Status, error.Code));
        Assert.DoesNotContain("ManagedIdentity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSecret_FailsAsNotConfigured_NamingTheSecret()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        var result = await Provider(handler, secrets: new RotatingSecretStore(null!, null)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Empty(handler.Requests);
        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, result.Failure?.Kind);
        Assert.Contains(SecretName, result.Failure!.Message, StringComparison.Ordinal);
    }
}
