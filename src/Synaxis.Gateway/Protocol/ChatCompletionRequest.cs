using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// An OpenAI Chat Completions request, the gateway's canonical request format.
/// </summary>
/// <remarks>
/// Only the fields the gateway reads are typed. Every other field lands in <see cref="ExtensionData"/>
/// and is written back unchanged when the request is forwarded to an OpenAI-format upstream, so
/// parameters the gateway has never heard of (new OpenAI fields, vendor extensions) still reach it.
/// </remarks>
public sealed class ChatCompletionRequest
{
    public string? Model { get; set; }

    public List<ChatMessage>? Messages { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? N { get; set; }

    /// <summary>A string or an array of up to four strings.</summary>
    public JsonElement? Stop { get; set; }

    public List<ChatTool>? Tools { get; set; }

    /// <summary>"none", "auto", "required" or an object naming a function.</summary>
    public JsonElement? ToolChoice { get; set; }

    public string? User { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the client asked for a stream.</summary>
    [JsonIgnore]
    public bool IsStreaming => Stream == true;

    /// <summary>True when the client asked for the final usage chunk of a stream.</summary>
    [JsonIgnore]
    public bool WantsStreamUsage => StreamOptions?.IncludeUsage == true;
}

/// <summary>Options for streamed responses.</summary>
public sealed class StreamOptions
{
    public bool? IncludeUsage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
