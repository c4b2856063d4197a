using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>One turn of a Gemini conversation (<c>user</c> or <c>model</c>), or the system instruction.</summary>
internal sealed class GeminiContent
{
    public string? Role { get; set; }

    public List<GeminiPart> Parts { get; set; } = [];
}

/// <summary>
/// A part of a turn: text (a thought summary when <see cref="Thought"/> is set), inline bytes, a file by URI,
/// a function call or a function's result. Parts the gateway does not map (executable code …) are kept in
/// <see cref="ExtensionData"/> so they can be recognised and skipped.
/// </summary>
internal sealed class GeminiPart
{
    public string? Text { get; set; }

    public bool? Thought { get; set; }

    public string? ThoughtSignature { get; set; }

    public GeminiBlob? InlineData { get; set; }

    public GeminiFileData? FileData { get; set; }

    public GeminiFunctionCall? FunctionCall { get; set; }

    public GeminiFunctionResponse? FunctionResponse { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Bytes sent inline, base64-encoded.</summary>
internal sealed class GeminiBlob
{
    public required string MimeType { get; set; }

    public required string Data { get; set; }
}

/// <summary>A file Gemini fetches itself: a public or signed https URL, a Files API or Cloud Storage URI.</summary>
internal sealed class GeminiFileData
{
    public string? MimeType { get; set; }

    public required string FileUri { get; set; }
}

/// <summary>A call the model makes: the function's name and its arguments as a JSON object.</summary>
internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Args { get; set; }
}

/// <summary>The result of a function call, sent back to the model.</summary>
internal sealed class GeminiFunctionResponse
{
    public required string Name { get; set; }

    public required JsonElement Response { get; set; }
}
