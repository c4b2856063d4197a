using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>
/// What a recorded Anthropic stream holds, read line by line from the file without any SSE parser or
/// translator: the independent account the translated stream is checked against.
/// </summary>
internal sealed class RecordedAnthropicStream
{
    private RecordedAnthropicStream(List<JsonObject> events) => Events = events;

    public List<JsonObject> Events { get; }

    public static RecordedAnthropicStream Load(string fixture) => new(
        Encoding.UTF8.GetString(Fixtures.Bytes(fixture)).ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => JsonNode.Parse(line[6..])!.AsObject())
            .ToList());

    /// <summary>Every <c>text_delta</c>, concatenated.</summary>
    public string Text => Deltas("text_delta", "text");

    /// <summary>Every <c>thinking_delta</c>, concatenated.</summary>
    public string Thinking => Deltas("thinking_delta", "thinking");

    /// <summary>Each <c>tool_use</c> block in order: its id, name and the concatenation of its <c>partial_json</c>.</summary>
    public List<(string Id, string Name, string Json)> ToolUses()
    {
        var uses = new List<(int Index, string Id, string Name, StringBuilder Json)>();
        foreach (var e in Events)
        {
            if (Type(e) == "content_block_start" && e["content_block"]!["type"]!.GetValue<string>() == "tool_use")
            {
                uses.Add((e["index"]!.GetValue<int>(), e["content_block"]!["id"]!.GetValue<string>(), e["content_block"]!["name"]!.GetValue<string>(), new StringBuilder()));
            }
            else if (Type(e) == "content_block_delta" && e["delta"]!["type"]!.GetValue<string>() == "input_json_delta")
            {
                uses.Single(u => u.Index == e["index"]!.GetValue<int>()).Json.Append(e["delta"]!["partial_json"]!.GetValue<string>());
            }
        }

        return uses.Select(u => (u.Id, u.Name, u.Json.ToString())).ToList();
    }

    public string? StopReason => Events.LastOrDefault(e => Type(e) == "message_delta")?["delta"]?["stop_reason"]?.GetValue<string>();

    public JsonObject? FinalUsage => Events.LastOrDefault(e => Type(e) == "message_delta")?["usage"]?.AsObject();

    public JsonObject? StartUsage => Events.FirstOrDefault(e => Type(e) == "message_start")?["message"]?["usage"]?.AsObject();

    private string Deltas(string deltaType, string field) => string.Concat(Events
        .Where(e => Type(e) == "content_block_delta" && e["delta"]!["type"]!.GetValue<string>() == deltaType)
        .Select(e => e["delta"]![field]!.GetValue<string>()));

    private static string? Type(JsonObject e) => e["type"]?.GetValue<string>();
}
