using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// A model served by one provider, the recordings its fake upstream replays, and what a client must get
/// from them, read straight from the recordings (OpenAI's format for OpenAI and Azure, Gemini's for Gemini).
/// </summary>
public sealed record ProviderCase(string Provider, string Model, string Stream, string ToolStream, string Completion, string ToolCompletion)
{
    public static ProviderCase For(string provider) => provider switch
    {
        "openai" => new(provider, "gpt-4", "openai/chat-stream-include-usage.sse", "openai/chat-stream-parallel-tool-calls.sse",
            "openai/chat-completion.json", "openai/chat-completion-tool-calls.json"),
        // Azure's non-streamed answers are OpenAI's format; no recording of one beyond errors is available.
        "azure" => new(provider, ProviderModels.Azure, "azure/chat-stream-v1-include-usage.sse", "azure/chat-stream-v1-tool-calls.sse",
            "openai/chat-completion.json", "openai/chat-completion-tool-calls.json"),
        "gemini" => new(provider, ProviderModels.Gemini, "gemini/stream-generate-content-text.sse", "gemini/stream-generate-content-function-call.sse",
            "gemini/generate-content.json", "gemini/generate-content-function-call.json"),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private bool IsGemini => Provider == "gemini";

    /// <summary>Answers each chat request with the recording for its kind (streamed or not, with tools or not).</summary>
    public Func<HttpContext, JsonObject, Task> Upstream => ProviderModels.ByRequest(Stream, ToolStream, Completion, ToolCompletion);

    public string StreamedText => IsGemini ? GeminiGatewayTests.RecordedGeminiText(Stream) : SseReader.RecordedText(Stream);

    public string CompletedText => IsGemini
        ? string.Concat(JsonNode.Parse(Fixtures.Text(Completion))!["candidates"]![0]!["content"]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()))
        : JsonNode.Parse(Fixtures.Text(Completion))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    /// <summary>The streamed tool calls' names and arguments (arguments normalised as JSON, so only their meaning is compared).</summary>
    public List<(string Name, string Arguments)> StreamedToolCalls => IsGemini ? GeminiCalls(GeminiEvents(ToolStream)) : StreamedOpenAICalls(ToolStream);

    public List<(string Name, string Arguments)> CompletedToolCalls => IsGemini
        ? GeminiCalls([JsonNode.Parse(Fixtures.Text(ToolCompletion))!])
        : JsonNode.Parse(Fixtures.Text(ToolCompletion))!["choices"]![0]!["message"]!["tool_calls"]!.AsArray()
            .Select(c => (c!["function"]!["name"]!.GetValue<string>(), Normalise(c["function"]!["arguments"]!.GetValue<string>()))).ToList();

    public static string Normalise(string json) => JsonNode.Parse(json)!.ToJsonString();

    public override string ToString() => Provider;

    private static List<JsonNode> GeminiEvents(string fixture) =>
        File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();

    private static List<(string, string)> GeminiCalls(List<JsonNode> answers) =>
        answers.SelectMany(a => a["candidates"]![0]!["content"]!["parts"]!.AsArray())
            .Where(p => p!["functionCall"] is not null)
            .Select(p => (p!["functionCall"]!["name"]!.GetValue<string>(), p["functionCall"]!["args"]!.ToJsonString()))
            .ToList();

    private static List<(string, string)> StreamedOpenAICalls(string fixture)
    {
        var calls = new SortedDictionary<int, (string Name, StringBuilder Arguments)>();
        foreach (var line in File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            foreach (var choice in JsonNode.Parse(line[6..])!["choices"]!.AsArray())
            {
                foreach (var call in choice!["delta"]?["tool_calls"]?.AsArray() ?? [])
                {
                    var index = call!["index"]!.GetValue<int>();
                    if (!calls.ContainsKey(index))
                    {
                        calls[index] = (call["function"]!["name"]!.GetValue<string>(), new StringBuilder());
                    }

                    calls[index].Arguments.Append(call["function"]?["arguments"]?.GetValue<string>());
                }
            }
        }

        return calls.Values.Select(c => (c.Name, Normalise(c.Arguments.ToString()))).ToList();
    }
}
