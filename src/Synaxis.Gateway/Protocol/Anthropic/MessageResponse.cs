using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>Anthropic's answer, the <c>message</c> object: whole when not streamed, empty in <c>message_start</c>.</summary>
public sealed class MessageResponse
{
    public string? Id { get; set; }

    public string Type { get; set; } = "message";

    public string Role { get; set; } = "assistant";

    public string? Model { get; set; }

    public List<ContentBlock> Content { get; set; } = [];

    /// <summary><c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c>, <c>tool_use</c>, <c>pause_turn</c>, <c>refusal</c> …</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; set; }

    public AnthropicUsage? Usage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// Anthropic's token counts. <c>input_tokens</c> excludes the prompt tokens read from or written to the
/// cache, which are counted apart.
/// </summary>
public sealed class AnthropicUsage
{
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? CacheCreationInputTokens { get; set; }

    public int? CacheReadInputTokens { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
