using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Providers;

/// <summary>
/// What a client builds from an OpenAI chunk stream, the way the SDKs accumulate it: per choice the text,
/// reasoning, tool calls (arguments concatenated by index) and finish reason; plus the usage. It also
/// lists every way the stream breaks the chunk format, so tests can require there are none.
/// </summary>
internal sealed class AssembledAnswer
{
    private static readonly string[] FinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    public Dictionary<int, AssembledChoice> Choices { get; } = [];

    public List<string> Problems { get; } = [];

    public string? Id { get; private set; }

    public JsonObject? Usage { get; private set; }

    public int UsageChunks { get; private set; }

    public AssembledChoice this[int index] => Choices[index];

    public static AssembledAnswer From(IEnumerable<string> chunks)
    {
        var answer = new AssembledAnswer();
        var number = 0;
        foreach (var json in chunks)
        {
            answer.Add(json, number++);
        }

        return answer;
    }

    private void Add(string json, int number)
    {
        var where = $"chunk {number}";
        if (JsonNode.Parse(json) is not JsonObject chunk)
        {
            Problems.Add($"{where} is not an object");
            return;
        }

        if (UsageChunks > 0)
        {
            Problems.Add($"{where} follows the usage chunk");
        }

        if (chunk["object"]?.GetValue<string>() != "chat.completion.chunk")
        {
            Problems.Add($"{where} has object '{chunk["object"]}'");
        }

        var id = chunk["id"]?.GetValue<string>();
        if (string.IsNullOrEmpty(id) || (Id is not null && Id != id))
        {
            Problems.Add($"{where} has id '{id}' (stream id '{Id}')");
        }

        Id ??= id;
        if (chunk["created"] is not JsonValue created || !created.TryGetValue<long>(out _) || chunk["model"] is not JsonValue)
        {
            Problems.Add($"{where} lacks created or model");
        }

        if (chunk["usage"] is JsonObject usage)
        {
            Usage = usage;
            var (prompt, completion, total) = (usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
            if (prompt < 0 || completion < 0 || total < prompt + completion)
            {
                Problems.Add($"{where} has inconsistent usage {usage.ToJsonString()}");
            }
        }

        if (chunk["choices"] is not JsonArray choices)
        {
            Problems.Add($"{where} has no choices array");
            return;
        }

        if (choices.Count == 0)
        {
            UsageChunks++;
            if (chunk["usage"] is not JsonObject)
            {
                Problems.Add($"{where} has neither choices nor usage");
            }
        }

        foreach (var choice in choices.OfType<JsonObject>())
        {
            AddChoice(choice, where);
        }
    }

    private void AddChoice(JsonObject choice, string where)
    {
        var index = choice["index"]!.GetValue<int>();
        if (!Choices.TryGetValue(index, out var assembled))
        {
            Choices[index] = assembled = new AssembledChoice();
            if (choice["delta"]?["role"]?.GetValue<string>() != "assistant")
            {
                Problems.Add($"{where}: the first delta of choice {index} does not say role assistant");
            }
        }

        var delta = choice["delta"] as JsonObject;
        if (delta is null)
        {
            Problems.Add($"{where}: choice {index} has no delta");
            return;
        }

        var hasDelta = delta.Any(p => p.Key != "role" && p.Value is not null);
        if (assembled.FinishReason is not null && hasDelta)
        {
            Problems.Add($"{where}: choice {index} continues after finish_reason {assembled.FinishReason}");
        }

        assembled.Content.Append(Text(delta["content"]));
        assembled.Reasoning.Append(Text(delta["reasoning_content"]));
        assembled.Refusal.Append(Text(delta["refusal"]));
        if (delta["function_call"] is JsonObject functionCall)
        {
            assembled.FunctionName ??= Text(functionCall["name"]);
            assembled.FunctionArguments.Append(Text(functionCall["arguments"]));
        }

        foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AddToolCall(assembled, call, $"{where}: choice {index}");
        }

        if (choice["finish_reason"] is JsonValue finish && finish.GetValue<string>() is { } reason)
        {
            if (assembled.FinishReason is not null)
            {
                Problems.Add($"{where}: choice {index} finishes twice");
            }

            if (!FinishReasons.Contains(reason))
            {
                Problems.Add($"{where}: choice {index} has finish_reason '{reason}'");
            }

            assembled.FinishReason = reason;
        }
    }

    private void AddToolCall(AssembledChoice choice, JsonObject call, string where)
    {
        var index = call["index"]!.GetValue<int>();
        if (!choice.ToolCalls.TryGetValue(index, out var assembled))
        {
            var id = Text(call["id"]);
            var name = Text(call["function"]?["name"]);
            if (id.Length == 0 || name.Length == 0 || call["type"]?.GetValue<string>() != "function")
            {
                Problems.Add($"{where}: tool call {index} starts without id, type or name");
            }

            choice.ToolCalls[index] = assembled = new AssembledToolCall(id, name);
        }
        else if (call["id"] is JsonValue id && id.GetValue<string>() != assembled.Id)
        {
            Problems.Add($"{where}: tool call {index} changes its id");
        }

        assembled.Arguments.Append(Text(call["function"]?["arguments"]));
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    /// <summary>The usage as the gateway's type, for comparing counts.</summary>
    public Usage? ParsedUsage => Usage is null ? null : System.Text.Json.JsonSerializer.Deserialize(Usage.ToJsonString(), GatewayJsonContext.Wire.Usage);
}

internal sealed class AssembledChoice
{
    public StringBuilder Content { get; } = new();

    public StringBuilder Reasoning { get; } = new();

    public StringBuilder Refusal { get; } = new();

    public string? FunctionName { get; set; }

    public StringBuilder FunctionArguments { get; } = new();

    public SortedDictionary<int, AssembledToolCall> ToolCalls { get; } = [];

    public string? FinishReason { get; set; }
}

internal sealed record AssembledToolCall(string Id, string Name)
{
    public StringBuilder Arguments { get; } = new();
}
