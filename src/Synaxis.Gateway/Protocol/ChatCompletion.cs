using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>A non-streamed answer: the <c>chat.completion</c> object.</summary>
public sealed class ChatCompletion
{
    public string? Id { get; set; }

    public string Object { get; set; } = "chat.completion";

    public long Created { get; set; }

    public string? Model { get; set; }

    public List<ChatChoice> Choices { get; set; } = [];

    public Usage? Usage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One choice of a non-streamed answer.</summary>
public sealed class ChatChoice
{
    public int Index { get; set; }

    public ResponseMessage? Message { get; set; }

    public string? FinishReason { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The assistant message of a choice.</summary>
public sealed class ResponseMessage
{
    public string Role { get; set; } = "assistant";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; set; }

    public string? Refusal { get; set; }

    public List<ToolCall>? ToolCalls { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
