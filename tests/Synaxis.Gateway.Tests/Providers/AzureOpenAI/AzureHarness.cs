using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.AzureOpenAI;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;

namespace Synaxis.Gateway.Tests.Providers.AzureOpenAI;

/// <summary>An <see cref="AzureOpenAIProvider"/> over a <see cref="ReplayHandler"/>, with its key in configuration or a mocked Entra ID credential.</summary>
internal static class AzureHarness
{
    public const string SecretName = "azure-openai-api-key";
    public const string SecretValue = "azure-key-test-5c1e";
    public const string EntraToken = "eyJ0eXAi.entra-test-token";
    public const string StreamRequest = """{"model":"gpt-4o","messages":[{"role":"user","content":"Say hello in German."}],"stream":true}""";
    public const string CompleteRequest = """{"model":"gpt-4o","messages":[{"role":"user","content":"Say hello in German."}]}""";

    public static AzureOpenAIProvider Provider(HttpMessageHandler handler, ISecretStore? secrets = null, Mock<TokenCredential>? credential = null)
    {
        secrets ??= ProviderFakes.Secrets(SecretName, SecretValue);
        credential ??= Credential(EntraToken, DateTimeOffset.UtcNow.AddHours(1));
        var factory = new Mock<IAzureCredentialFactory>();
        factory.Setup(f => f.Create()).Returns(credential.Object);
        var tokens = new EntraTokenSource(factory.Object, TimeProvider.System, NullLogger<EntraTokenSource>.Instance);
        return new AzureOpenAIProvider(new HandlerClientFactory(handler), secrets, tokens, TimeProvider.System);
    }

    public static Mock<TokenCredential> Credential(string token, DateTimeOffset expiresOn)
    {
        var credential = new Mock<TokenCredential>();
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken(token, expiresOn));
        return credential;
    }

    /// <summary>A deployment at a resource endpoint, or at a <c>…/openai/v1</c> URL for the v1 API.</summary>
    public static ModelDeployment Deployment(string baseUrl = "https://synaxis-test.openai.azure.com/", string? apiKeySecret = SecretName, string? apiVersion = null) => new()
    {
        Name = "gpt-4o",
        Provider = AzureOpenAIProvider.ProviderName,
        UpstreamModel = "gpt-4o-prod",
        BaseUrl = new Uri(baseUrl),
        ApiKeySecret = apiKeySecret,
        ApiVersion = apiVersion,
        OwnedBy = "azure",
        FirstByteTimeout = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromSeconds(30),
    };

    public static ProviderCall Call(string requestJson, ModelDeployment? deployment = null) =>
        ProviderFakes.Call(requestJson, deployment ?? Deployment(), "req-azure-1");
}
