using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// One OpenAI content part as a Gemini part: text; an image, audio or file given as a base64 <c>data:</c> URL
/// becomes inline bytes; an image URL (https, Cloud Storage) becomes <c>fileData</c>, which Gemini fetches itself.
/// </summary>
internal static class GeminiMedia
{
    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".webp"] = "image/webp",
        [".gif"] = "image/gif", [".heic"] = "image/heic", [".heif"] = "image/heif",
    };

    public static (GeminiPart? Part, UpstreamFailure? Failure) ToPart(ContentPart part, string path) => part.Type switch
    {
        "text" => (new GeminiPart { Text = part.Text }, null),
        "image_url" => FromUrl(part.ImageUrl!.Url!, $"{path}.image_url.url"),
        "input_audio" => FromAudio(part, path),
        "file" => FromFile(part, path),
        _ => (null, GeminiInputError.Unsupported($"{path}.type", $"Content parts of type '{part.Type}' cannot be sent to a Gemini model.")),
    };

    private static (GeminiPart?, UpstreamFailure?) FromUrl(string url, string path)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseDataUrl(url, out var mimeType, out var data)
                ? (new GeminiPart { InlineData = new GeminiBlob { MimeType = mimeType, Data = data } }, null)
                : (null, GeminiInputError.Invalid(path, "A data URL must look like data:<mime type>;base64,<data>."));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "gs"))
        {
            return (null, GeminiInputError.Unsupported(path, "Gemini models take images as data: URLs or https:// or gs:// URLs."));
        }

        var type = ImageTypes.GetValueOrDefault(Path.GetExtension(uri.AbsolutePath));
        return (new GeminiPart { FileData = new GeminiFileData { FileUri = url, MimeType = type } }, null);
    }

    private static (GeminiPart?, UpstreamFailure?) FromAudio(ContentPart part, string path)
    {
        if (part.ExtensionData?.GetValueOrDefault("input_audio") is not { ValueKind: JsonValueKind.Object } audio
            || audio.TryGetProperty("data", out var data) is false || data.ValueKind != JsonValueKind.String)
        {
            return (null, GeminiInputError.Invalid($"{path}.input_audio.data", "An input_audio part needs base64 'data'."));
        }

        var format = audio.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : "wav";
        return (new GeminiPart { InlineData = new GeminiBlob { MimeType = $"audio/{format}", Data = data.GetString()! } }, null);
    }

    private static (GeminiPart?, UpstreamFailure?) FromFile(ContentPart part, string path)
    {
        if (part.ExtensionData?.GetValueOrDefault("file") is { ValueKind: JsonValueKind.Object } file
            && file.TryGetProperty("file_data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            return FromUrl(data.GetString()!, $"{path}.file.file_data");
        }

        return (null, GeminiInputError.Unsupported($"{path}.file", "Gemini models take files as base64 'file_data' (data: URLs); OpenAI file ids do not exist there."));
    }

    private static bool TryParseDataUrl(string url, out string mimeType, out string data)
    {
        // data:image/png;base64,iVBORw0KGgo...
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma > 5 ? url[5..comma] : "";
        mimeType = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase) ? header[..^7] : "";
        data = comma > 0 ? url[(comma + 1)..] : "";
        return mimeType.Length > 0 && data.Length > 0;
    }
}
