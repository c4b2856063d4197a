using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>Source-generated JSON metadata for every wire type, so the request path does no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(List<ContentPart>))]
[JsonSerializable(typeof(Usage))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(EmbeddingsRequest))]
public sealed partial class GatewayJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the gateway writes with: like <see cref="Default"/>, but quotes and non-ASCII text stay
    /// as they are (<c>'</c>, not <c>\u0027</c>), as OpenAI writes them. Nothing here is embedded in HTML.
    /// </summary>
    public static GatewayJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
