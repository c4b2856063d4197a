using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>One event of a streamed answer: the <c>chat.completion.chunk</c> object.</summary>
public sealed class ChatCompletionChunk
{
    public string? Id { get; set; }

    public string Object { get; set; } = "chat.completion.chunk";

    public long Created { get; set; }

    public string? Model { get; set; }

    public List<ChunkChoice> Choices { get; set; } = [];

    public Usage? Usage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The delta of one choice in a chunk.</summary>
public sealed class ChunkChoice
{
    public int Index { get; set; }

    public ChatDelta Delta { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>What a chunk adds to the assistant message.</summary>
public sealed class ChatDelta
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? Refusal { get; set; }

    public List<ToolCall>? ToolCalls { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
