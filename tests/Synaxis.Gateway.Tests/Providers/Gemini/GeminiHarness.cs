using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;

namespace Synaxis.Gateway.Tests.Providers.Gemini;

/// <summary>A <see cref="GeminiProvider"/> over a <see cref="ReplayHandler"/>, and readings of the recorded Gemini events.</summary>
internal static class GeminiHarness
{
    public const string SecretName = "gemini-api-key";
    public const string SecretValue = "AIzaSy-test-key-0b5d";
    public const string StreamRequest = """{"model":"gemini","messages":[{"role":"user","content":"What is 4200 + 42?"}],"stream":true}""";
    public const string CompleteRequest = """{"model":"gemini","messages":[{"role":"user","content":"What is 4200 + 42?"}]}""";

    public static GeminiProvider Provider(HttpMessageHandler handler, ISecretStore? secrets = null) =>
        new(new HandlerClientFactory(handler), secrets ?? ProviderFakes.Secrets(SecretName, SecretValue), TimeProvider.System);

    public static ModelDeployment Deployment(string upstreamModel = "gemini-2.5-flash", string? baseUrl = null) => new()
    {
        Name = "gemini",
        Provider = GeminiProvider.ProviderName,
        UpstreamModel = upstreamModel,
        BaseUrl = baseUrl is null ? null : new Uri(baseUrl),
        ApiKeySecret = SecretName,
        OwnedBy = "google",
        FirstByteTimeout = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromSeconds(30),
    };

    public static ProviderCall Call(string requestJson, ModelDeployment? deployment = null) =>
        ProviderFakes.Call(requestJson, deployment ?? Deployment(), "req-gemini-1");

    public static async Task<List<CollectedChunk>> StreamAsync(HttpMessageHandler handler, string request = StreamRequest, ModelDeployment? deployment = null)
    {
        var result = await Provider(handler).StreamAsync(Call(request, deployment), CancellationToken.None);
        Assert.Null(result.Failure);
        return await ProviderHarness.CollectAsync(result.Chunks!);
    }

    /// <summary>The recorded events' JSON, read from the data lines without any SSE parser.</summary>
    public static List<JsonObject> RecordedEvents(byte[] body) =>
        ParsedStream.DataPayloads(body).Select(p => JsonNode.Parse(p)!.AsObject()).ToList();

    /// <summary>The recorded answer text (or thought text) of the first candidate, part by part.</summary>
    public static string RecordedText(byte[] body, bool thoughts = false)
    {
        var text = new StringBuilder();
        foreach (var part in RecordedEvents(body).SelectMany(e => e["candidates"]![0]!["content"]!["parts"]!.AsArray()))
        {
            if (part!["text"] is JsonValue value && (part["thought"]?.GetValue<bool>() ?? false) == thoughts)
            {
                text.Append(value.GetValue<string>());
            }
        }

        return text.ToString();
    }
}
