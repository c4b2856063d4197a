using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>What an OpenAI client reassembles from the canonical chunks: text, reasoning, tool calls, finish reasons.</summary>
internal sealed class TranslatedStream(List<CollectedChunk> chunks)
{
    public List<CollectedChunk> Chunks { get; } = chunks;

    public IEnumerable<JsonObject> Relayed => Chunks.Where(c => c.Failure is null).Select(c => JsonNode.Parse(c.Json)!.AsObject());

    public string Text => string.Concat(Deltas().Select(d => d["content"]?.GetValue<string>()));

    public string Reasoning => string.Concat(Deltas().Select(d => d["reasoning_content"]?.GetValue<string>()));

    public List<string> FinishReasons => Relayed.SelectMany(c => c["choices"]!.AsArray())
        .Select(c => c!["finish_reason"]).Where(f => f is not null).Select(f => f!.GetValue<string>()).ToList();

    /// <summary>The tool calls as an OpenAI client accumulates them: by index, id and name from the first delta, arguments appended.</summary>
    public List<(int Index, string Id, string Name, string Arguments)> ToolCalls()
    {
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        foreach (var call in Deltas().SelectMany(d => d["tool_calls"]?.AsArray() ?? []))
        {
            var index = call!["index"]!.GetValue<int>();
            if (!calls.TryGetValue(index, out var entry))
            {
                entry = (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), new StringBuilder());
                calls[index] = entry;
            }

            entry.Arguments.Append(call["function"]?["arguments"]?.GetValue<string>());
        }

        return calls.Select(c => (c.Key, c.Value.Id, c.Value.Name, c.Value.Arguments.ToString())).ToList();
    }

    private IEnumerable<JsonObject> Deltas() => Relayed.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]!.AsObject());
}
