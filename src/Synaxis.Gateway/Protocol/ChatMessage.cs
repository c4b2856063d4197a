using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>One message of a conversation: system, developer, user, assistant or tool.</summary>
public sealed class ChatMessage
{
    public string? Role { get; set; }

    /// <summary>Plain text or an array of content parts; absent for an assistant turn that only calls tools.</summary>
    public MessageContent? Content { get; set; }

    public string? Name { get; set; }

    public List<ToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A typed part of a multi-part message: text, an image, audio or a file.</summary>
public sealed class ContentPart
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public ImageUrl? ImageUrl { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An image given by URL or as a base64 <c>data:</c> URL.</summary>
public sealed class ImageUrl
{
    public string? Url { get; set; }

    public string? Detail { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
