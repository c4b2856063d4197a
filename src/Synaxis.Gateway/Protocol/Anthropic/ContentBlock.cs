using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>
/// One content block of any type, as one flat type: <c>text</c>, <c>image</c>, <c>tool_use</c>,
/// <c>tool_result</c>, <c>thinking</c>, <c>redacted_thinking</c>, … Only the fields of its type are set.
/// </summary>
public sealed class ContentBlock
{
    public string? Type { get; set; }

    /// <summary>The text of a <c>text</c> block.</summary>
    public string? Text { get; set; }

    /// <summary>Where an <c>image</c> or <c>document</c> block's bytes come from.</summary>
    public MediaSource? Source { get; set; }

    /// <summary>The id of a <c>tool_use</c> block.</summary>
    public string? Id { get; set; }

    /// <summary>The tool a <c>tool_use</c> block calls.</summary>
    public string? Name { get; set; }

    /// <summary>The arguments of a <c>tool_use</c> block, a JSON object.</summary>
    public JsonElement? Input { get; set; }

    /// <summary>A <c>tool_use</c> block as an OpenAI tool call; arguments that are not an object become <c>{}</c>.</summary>
    public ToolCall ToToolCall() => new()
    {
        Id = Id,
        Type = "function",
        Function = new FunctionCall { Name = Name, Arguments = Input is { ValueKind: JsonValueKind.Object } input ? input.GetRawText() : "{}" },
    };

    /// <summary>The <c>tool_use</c> a <c>tool_result</c> block answers.</summary>
    public string? ToolUseId { get; set; }

    /// <summary>The result of a <c>tool_result</c> block: a string or blocks.</summary>
    public BlockContent? Content { get; set; }

    public bool? IsError { get; set; }

    /// <summary>The reasoning of a <c>thinking</c> block.</summary>
    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    /// <summary>The opaque payload of a <c>redacted_thinking</c> block.</summary>
    public string? Data { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An image or document given inline (<c>base64</c>) or by <c>url</c>.</summary>
public sealed class MediaSource
{
    public string? Type { get; set; }

    public string? MediaType { get; set; }

    public string? Data { get; set; }

    public string? Url { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
