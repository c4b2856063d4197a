using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>An <see cref="AnthropicProvider"/> over a <see cref="ReplayHandler"/>, its key in an in-memory configuration.</summary>
internal static class AnthropicHarness
{
    public const string SecretName = "anthropic-api-key";
    public const string SecretValue = "sk-ant-test-upstream-91c2";
    public const string StreamRequest = """{"model":"claude","messages":[{"role":"user","content":"What is 4200 + 42?"}],"stream":true}""";
    public static readonly DateTimeOffset Created = new(2025, 12, 18, 23, 29, 31, TimeSpan.Zero);
    public const string CompleteRequest = """{"model":"claude","messages":[{"role":"user","content":"What is 4200 + 42?"}]}""";

    public static AnthropicProvider Provider(HttpMessageHandler handler, ISecretStore? secrets = null, TimeProvider? time = null) =>
        new(new HandlerClientFactory(handler), secrets ?? Secrets(), time ?? TimeProvider.System);

    public static ISecretStore Secrets(string? value = SecretValue) => ProviderFakes.Secrets(SecretName, value);

    public static ModelDeployment Deployment(string upstreamModel = "claude-sonnet-4-20250514", string? apiVersion = null, int? maxOutputTokens = null,
        Uri? baseUrl = null, Dictionary<string, string>? headers = null) => new()
    {
        Name = "claude",
        Provider = AnthropicProvider.ProviderName,
        UpstreamModel = upstreamModel,
        BaseUrl = baseUrl,
        ApiKeySecret = SecretName,
        ApiVersion = apiVersion,
        MaxOutputTokens = maxOutputTokens,
        OwnedBy = "anthropic",
        Headers = headers ?? [],
        FirstByteTimeout = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromSeconds(30),
    };

    public static ProviderCall Call(string requestJson, ModelDeployment? deployment = null) =>
        ProviderFakes.Call(requestJson, deployment ?? Deployment(), "req-test-1");

    public static async Task<List<CollectedChunk>> StreamAsync(ReplayHandler handler, string request = StreamRequest)
    {
        // A fixed clock: chunks carry "created", and tests compare the chunks of separate runs.
        var result = await Provider(handler, time: new FakeTimeProvider(Created)).StreamAsync(Call(request), CancellationToken.None);
        Assert.Null(result.Failure);
        return await ProviderHarness.CollectAsync(result.Chunks!);
    }
}
