using System.Buffers;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Turns OpenAI messages into Gemini turns: system and developer messages become the system instruction,
/// assistant turns become <c>model</c> turns with <c>functionCall</c> parts, tool results become
/// <c>functionResponse</c> parts of a <c>user</c> turn (named after the call they answer), and consecutive
/// turns of one role are merged, as Gemini expects.
/// </summary>
internal static class GeminiContentMapper
{
    public static UpstreamFailure? Map(ChatCompletionRequest request, string upstreamModel, GenerateContentRequest target)
    {
        var messages = request.Messages!;
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var path = $"messages[{i}]";
            var (role, parts, failure) = message.Role switch
            {
                "system" or "developer" => ("system", TextParts(message, path, out var f), f),
                "user" => ("user", UserParts(message, path, out var f), f),
                "assistant" => ("model", ModelParts(message, path, upstreamModel, callNames, out var f), f),
                _ => ("user", ResultParts(message, path, callNames, out var f), f), // tool, function
            };
            if (failure is not null)
            {
                return failure;
            }

            if (role == "system")
            {
                (target.SystemInstruction ??= new GeminiContent()).Parts.AddRange(parts);
            }
            else if (target.Contents.Count > 0 && target.Contents[^1].Role == role)
            {
                target.Contents[^1].Parts.AddRange(parts);
            }
            else
            {
                target.Contents.Add(new GeminiContent { Role = role, Parts = parts });
            }
        }

        return null;
    }

    private static List<GeminiPart> TextParts(ChatMessage message, string path, out UpstreamFailure? failure)
    {
        failure = message.Content?.Parts?.FirstOrDefault(p => p.Type != "text") is { } other
            ? GeminiInputError.Unsupported($"{path}.content", $"A {message.Role} message may hold only text, not '{other.Type}'.")
            : null;
        return [new GeminiPart { Text = message.Content?.ToPlainText() ?? "" }];
    }

    private static List<GeminiPart> UserParts(ChatMessage message, string path, out UpstreamFailure? failure)
    {
        failure = null;
        if (message.Content!.Text is { } text)
        {
            return [new GeminiPart { Text = text }];
        }

        var parts = new List<GeminiPart>();
        for (var i = 0; i < message.Content.Parts!.Count && failure is null; i++)
        {
            var (part, problem) = GeminiMedia.ToPart(message.Content.Parts[i], $"{path}.content[{i}]");
            failure = problem;
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        return parts;
    }

    private static List<GeminiPart> ModelParts(ChatMessage message, string path, string upstreamModel, Dictionary<string, string> callNames, out UpstreamFailure? failure)
    {
        failure = null;
        var parts = new List<GeminiPart>();
        if (message.Content?.ToPlainText() is { Length: > 0 } text)
        {
            parts.Add(new GeminiPart { Text = text });
        }

        var calls = message.ToolCalls ?? [];
        if (message.ExtensionData?.TryGetValue("function_call", out var legacy) == true && legacy.ValueKind == JsonValueKind.Object)
        {
            calls = [.. calls, new ToolCall { Function = ReadLegacy(legacy) }];
        }

        for (var i = 0; i < calls.Count; i++)
        {
            var function = calls[i].Function;
            var where = $"{path}.tool_calls[{i}].function";
            if (string.IsNullOrEmpty(function?.Name))
            {
                failure = GeminiInputError.Invalid($"{where}.name", "A tool call must name its function.");
                return parts;
            }

            if (!TryParseArguments(function.Arguments, out var args))
            {
                failure = GeminiInputError.Invalid($"{where}.arguments", "Tool call arguments must be a JSON object.");
                return parts;
            }

            var id = calls[i].Id;
            if (id is not null)
            {
                callNames[id] = function.Name;
            }

            // Gemini 3 rejects a replayed call without its signature; parallel calls carry it on the first only.
            var signature = GeminiToolCallId.SignatureOf(id)
                ?? (i == 0 && GeminiToolCallId.NeedsSignature(upstreamModel) ? GeminiToolCallId.SkipValidation : null);
            parts.Add(new GeminiPart { FunctionCall = new GeminiFunctionCall { Name = function.Name, Args = args }, ThoughtSignature = signature });
        }

        return parts;
    }

    private static List<GeminiPart> ResultParts(ChatMessage message, string path, Dictionary<string, string> callNames, out UpstreamFailure? failure)
    {
        failure = null;
        string? name;
        if (message.Role == "function")
        {
            name = message.Name;
        }
        else if (!callNames.TryGetValue(message.ToolCallId!, out name))
        {
            failure = GeminiInputError.Invalid($"{path}.tool_call_id", $"No earlier assistant message made a tool call with id '{message.ToolCallId}'.");
            return [];
        }

        if (string.IsNullOrEmpty(name))
        {
            failure = GeminiInputError.Invalid($"{path}.name", "A function message must name its function.");
            return [];
        }

        // Gemini wants an object; a result that is one goes as is, anything else as {"output": text}, Google's convention.
        var text = message.Content?.ToPlainText() ?? "";
        var response = TryParseObject(text, out var value) ? value : OutputObject(text);
        return [new GeminiPart { FunctionResponse = new GeminiFunctionResponse { Name = name, Response = response } }];
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonElement OutputObject(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("output", text);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static FunctionCall ReadLegacy(JsonElement legacy) => new()
    {
        Name = legacy.TryGetProperty("name", out var name) ? name.GetString() : null,
        Arguments = legacy.TryGetProperty("arguments", out var arguments) ? arguments.GetString() : null,
    };

    private static bool TryParseArguments(string? arguments, out JsonElement args)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            args = EmptyObject;
            return true;
        }

        return TryParseObject(arguments, out args);
    }

    private static bool TryParseObject(string text, out JsonElement value)
    {
        value = default;
        if (!text.TrimStart().StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.Clone();
            return value.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
