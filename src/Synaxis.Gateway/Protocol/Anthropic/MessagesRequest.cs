using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>
/// A request of Anthropic's Messages API (<c>POST /v1/messages</c>): what the Anthropic provider sends
/// upstream, and what the gateway's Anthropic-compatible endpoint reads from clients.
/// </summary>
public sealed class MessagesRequest
{
    public string? Model { get; set; }

    public List<MessageParam>? Messages { get; set; }

    /// <summary>A string or an array of text blocks.</summary>
    public BlockContent? System { get; set; }

    public int? MaxTokens { get; set; }

    public List<string>? StopSequences { get; set; }

    public bool? Stream { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public List<ToolDefinition>? Tools { get; set; }

    public ToolChoiceParam? ToolChoice { get; set; }

    public RequestMetadata? Metadata { get; set; }

    /// <summary>Extended thinking, e.g. <c>{"type":"enabled","budget_tokens":1024}</c>, carried as given.</summary>
    public JsonElement? Thinking { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One turn of the conversation: <c>user</c> or <c>assistant</c>.</summary>
public sealed class MessageParam
{
    public string? Role { get; set; }

    public BlockContent? Content { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A tool the model may call: its name, description and JSON Schema input.</summary>
public sealed class ToolDefinition
{
    /// <summary>Absent for custom tools; Anthropic's server tools (web search, code execution …) name a versioned type.</summary>
    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? InputSchema { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>How the model must use tools: <c>auto</c>, <c>any</c>, <c>tool</c> (with a name) or <c>none</c>.</summary>
public sealed class ToolChoiceParam
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public bool? DisableParallelToolUse { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Request metadata; Anthropic reads only <c>user_id</c>.</summary>
public sealed class RequestMetadata
{
    public string? UserId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
