using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>Source-generated JSON metadata for Anthropic's wire types (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(List<ContentBlock>))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
public sealed partial class AnthropicJsonContext : JsonSerializerContext
{
    /// <summary>Like <see cref="Default"/>, but text is written as Anthropic writes it: quotes and non-ASCII unescaped.</summary>
    public static AnthropicJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
