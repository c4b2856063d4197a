using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>
/// One event of an Anthropic stream, any type: <c>message_start</c>, <c>content_block_start</c>,
/// <c>content_block_delta</c>, <c>content_block_stop</c>, <c>message_delta</c>, <c>message_stop</c>,
/// <c>ping</c> or <c>error</c>. Only the fields of its type are set.
/// </summary>
public sealed class StreamEvent
{
    public string? Type { get; set; }

    /// <summary>The content block a <c>content_block_*</c> event is about.</summary>
    public int? Index { get; set; }

    public MessageResponse? Message { get; set; }

    public ContentBlock? ContentBlock { get; set; }

    public StreamDelta? Delta { get; set; }

    public AnthropicUsage? Usage { get; set; }

    public AnthropicErrorDetail? Error { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// The delta of a <c>content_block_delta</c> (<c>text_delta</c>, <c>input_json_delta</c>, <c>thinking_delta</c>,
/// <c>signature_delta</c>, …) or of a <c>message_delta</c> (stop reason).
/// </summary>
public sealed class StreamDelta
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? PartialJson { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
