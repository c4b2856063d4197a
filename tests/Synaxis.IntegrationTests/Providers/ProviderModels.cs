using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Providers;

/// <summary>
/// Catalog entries that make the one fake upstream also stand in for Azure OpenAI (a deployment URL under
/// its root) and for Gemini (<c>/v1beta/models/…</c>), and behaviours that answer the way each of them does.
/// </summary>
public static class ProviderModels
{
    public const string Azure = "gpt-4o-azure";
    public const string Gemini = "gemini-flash";
    public const string AzureKey = "azure-upstream-key-1f9e";
    public const string GeminiKey = "AIzaSy-upstream-key-77c2";

    /// <summary>Adds the Azure OpenAI model (deployment <c>gpt-4o-prod</c>, key in <c>azure-openai-api-key</c>) at <paramref name="index"/>.</summary>
    public static void AddAzure(Dictionary<string, string?> settings, Uri upstream, int index = 1, string? apiVersion = null)
    {
        settings[$"Synaxis:Models:{index}:Name"] = Azure;
        settings[$"Synaxis:Models:{index}:Provider"] = "azure-openai";
        settings[$"Synaxis:Models:{index}:UpstreamModel"] = "gpt-4o-prod";
        settings[$"Synaxis:Models:{index}:BaseUrl"] = new Uri(upstream, "/").ToString();
        settings[$"Synaxis:Models:{index}:ApiKeySecret"] = "azure-openai-api-key";
        settings[$"Synaxis:Models:{index}:ApiVersion"] = apiVersion;
        settings["azure-openai-api-key"] = AzureKey;
    }

    /// <summary>Adds the Gemini model (<c>gemini-2.5-flash</c>, key in <c>gemini-api-key</c>) at <paramref name="index"/>.</summary>
    public static void AddGemini(Dictionary<string, string?> settings, Uri upstream, int index = 2)
    {
        settings[$"Synaxis:Models:{index}:Name"] = Gemini;
        settings[$"Synaxis:Models:{index}:Provider"] = "gemini";
        settings[$"Synaxis:Models:{index}:UpstreamModel"] = "gemini-2.5-flash";
        settings[$"Synaxis:Models:{index}:BaseUrl"] = new Uri(upstream, "/v1beta").ToString();
        settings[$"Synaxis:Models:{index}:ApiKeySecret"] = "gemini-api-key";
        settings["gemini-api-key"] = GeminiKey;
    }

    /// <summary>Starts a gateway whose catalog has the OpenAI model (<c>gpt-4</c>), the Azure one and the Gemini one, all on one fake upstream.</summary>
    public static Task<GatewayUnderTest> StartAllAsync(Action<Dictionary<string, string?>>? configure = null) =>
        GatewayUnderTest.StartAsync(settings =>
        {
            var upstream = new Uri(settings["Synaxis:Models:0:BaseUrl"]!);
            AddAzure(settings, upstream);
            AddGemini(settings, upstream);
            configure?.Invoke(settings);
        });

    /// <summary>Answers Gemini's two methods: the stream replays <paramref name="stream"/>, generateContent answers <paramref name="completion"/>.</summary>
    public static Func<HttpContext, JsonObject, Task> GeminiReplay(string stream, string completion) =>
        (context, request) => context.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal)
            ? Respond.Replay(stream)(context, request)
            : Respond.Json(completion)(context, request);

    /// <summary>Answers by what was asked: streamed or not (by the body or Gemini's method), with tools or without.</summary>
    public static Func<HttpContext, JsonObject, Task> ByRequest(string stream, string toolStream, string completion, string toolCompletion) =>
        (context, request) =>
        {
            var tools = request["tools"] is JsonArray;
            var streamed = request["stream"]?.GetValue<bool>() == true || context.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal);
            return streamed
                ? Respond.Replay(tools ? toolStream : stream)(context, request)
                : Respond.Json(tools ? toolCompletion : completion)(context, request);
        };
}
