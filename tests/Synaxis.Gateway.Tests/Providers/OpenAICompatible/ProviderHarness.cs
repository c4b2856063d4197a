using System.Text;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Tests.Fakes;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>An <see cref="OpenAICompatibleProvider"/> over a <see cref="ReplayHandler"/>, its key in an in-memory configuration.</summary>
internal static class ProviderHarness
{
    public const string SecretName = "OPENAI_API_KEY";
    public const string SecretValue = "sk-test-upstream-7f3a";
    public const string StreamRequest = """{"model":"gpt-4","messages":[{"role":"user","content":"What is 4200 + 42?"}],"stream":true}""";
    public const string CompleteRequest = """{"model":"gpt-4","messages":[{"role":"user","content":"What is 4200 + 42?"}]}""";

    public static OpenAICompatibleProvider Provider(HttpMessageHandler handler, TimeProvider? time = null, bool withSecret = true) =>
        Provider(new HandlerClientFactory(handler), time, withSecret);

    public static OpenAICompatibleProvider Provider(IHttpClientFactory clients, TimeProvider? time = null, bool withSecret = true) =>
        new(clients, ProviderFakes.Secrets(SecretName, withSecret ? SecretValue : null), time ?? TimeProvider.System);

    public static ModelDeployment Deployment(string? apiKeySecret = SecretName, Dictionary<string, string>? headers = null) => new()
    {
        Name = "gpt-4",
        Provider = OpenAICompatibleProvider.ProviderName,
        UpstreamModel = "gpt-4o-2024-08-06",
        BaseUrl = new Uri("https://upstream.test/v1/"),
        ApiKeySecret = apiKeySecret,
        OwnedBy = "openai",
        Headers = headers ?? [],
        FirstByteTimeout = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromSeconds(30),
    };

    public static ProviderCall Call(string requestJson, ModelDeployment? deployment = null) =>
        ProviderFakes.Call(requestJson, deployment ?? Deployment(), "req-test-1");

    /// <summary>Enumerates a stream to its end, copying each chunk before the provider reuses its buffer.</summary>
    public static async Task<List<CollectedChunk>> CollectAsync(IAsyncEnumerable<StreamChunk> chunks)
    {
        var collected = new List<CollectedChunk>();
        await foreach (var chunk in chunks)
        {
            collected.Add(new CollectedChunk(chunk.Json.ToArray(), chunk.HasChoices, chunk.Usage, chunk.Failure));
        }

        return collected;
    }
}

internal sealed record CollectedChunk(byte[] Bytes, bool HasChoices, Usage? Usage, UpstreamFailure? Failure)
{
    public string Json => Encoding.UTF8.GetString(Bytes);
}
