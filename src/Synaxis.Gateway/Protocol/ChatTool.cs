using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>A tool the model may call; OpenAI defines only <c>function</c> tools for chat.</summary>
public sealed class ChatTool
{
    public string? Type { get; set; }

    public FunctionDefinition? Function { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A function's name, description and JSON Schema parameters.</summary>
public sealed class FunctionDefinition
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }

    public bool? Strict { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A call of a tool by the model, in an assistant message or a stream delta.</summary>
public sealed class ToolCall
{
    /// <summary>Position of the call in a streamed delta; absent in full messages.</summary>
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public FunctionCall? Function { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The function a tool call names and its JSON arguments (possibly a fragment in a delta).</summary>
public sealed class FunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
