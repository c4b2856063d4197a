using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// An OpenAI embeddings request. <see cref="Input"/> stays raw JSON, so an OpenAI-format upstream gets exactly
/// what the client sent; <see cref="EmbeddingsRequestReader"/> has checked its shape. Unknown fields pass through.
/// </summary>
public sealed class EmbeddingsRequest
{
    /// <summary>A string, an array of strings, an array of token ids, or an array of such arrays.</summary>
    public JsonElement? Input { get; set; }

    public string? Model { get; set; }

    /// <summary><c>float</c> (the default) or <c>base64</c> (little-endian float32, what the official SDKs ask for).</summary>
    public string? EncodingFormat { get; set; }

    public int? Dimensions { get; set; }

    public string? User { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the vectors are to be sent as base64 strings.</summary>
    [JsonIgnore]
    public bool WantsBase64 => EncodingFormat == "base64";
}

/// <summary>The inputs of an embeddings request, read once: either texts or token-id sequences.</summary>
public sealed class EmbeddingInput
{
    private EmbeddingInput(IReadOnlyList<string>? texts, IReadOnlyList<int[]>? tokens)
    {
        Texts = texts;
        Tokens = tokens;
    }

    public IReadOnlyList<string>? Texts { get; }

    public IReadOnlyList<int[]>? Tokens { get; }

    public int Count => Texts?.Count ?? Tokens!.Count;

    public static EmbeddingInput FromTexts(IReadOnlyList<string> texts) => new(texts, null);

    public static EmbeddingInput FromTokens(IReadOnlyList<int[]> tokens) => new(null, tokens);
}
