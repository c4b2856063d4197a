using System.Text.Json;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// Checks a parsed request the way OpenAI does, so a client learns which field is wrong before any
/// upstream is called. Returns the first problem found, naming the field in <c>param</c>.
/// </summary>
public static class ChatRequestValidator
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static ApiError? Validate(ChatCompletionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return request.Model is null ? ApiError.MissingParameter("model") : ApiError.InvalidValue("model", "'model' must not be empty.");
        }

        if (request.Messages is null)
        {
            return ApiError.MissingParameter("messages");
        }

        if (request.Messages.Count == 0)
        {
            return ApiError.InvalidValue("messages", "'messages' must contain at least one message.");
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            if (ValidateMessage(request.Messages[i], i) is { } error)
            {
                return error;
            }
        }

        return ValidateSampling(request) ?? ValidateStop(request.Stop) ?? ValidateTools(request.Tools) ?? ValidateStreamOptions(request);
    }

    // Paths name the bad field; they are built only when something is wrong, not for every valid message.
    private static ApiError? ValidateMessage(ChatMessage? message, int index)
    {
        string Path(string field = "") => $"messages[{index}]{field}";
        if (message is null)
        {
            return ApiError.InvalidType(Path(), "an object, but got null instead");
        }

        if (message.Role is null)
        {
            return ApiError.MissingParameter(Path(".role"));
        }

        if (Array.IndexOf(Roles, message.Role) < 0)
        {
            return ApiError.InvalidValue(Path(".role"),
                $"Invalid value: '{message.Role}'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.");
        }

        var mayOmitContent = message.Role == "assistant" && (message.ToolCalls is { Count: > 0 } || message.ExtensionData?.ContainsKey("function_call") == true);
        if (message.Content is null && !mayOmitContent)
        {
            return ApiError.MissingParameter(Path(".content"));
        }

        if (message.Role == "tool" && string.IsNullOrEmpty(message.ToolCallId))
        {
            return ApiError.MissingParameter(Path(".tool_call_id"));
        }

        return message.Content?.Parts is { } parts ? ValidateParts(parts, index) : null;
    }

    private static ApiError? ValidateParts(List<ContentPart> parts, int messageIndex)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            string Path(string field = "") => $"messages[{messageIndex}].content[{i}]{field}";
            var part = parts[i];
            if (part is null)
            {
                return ApiError.InvalidType(Path(), "an object, but got null instead");
            }

            switch (part.Type)
            {
                case null:
                    return ApiError.MissingParameter(Path(".type"));
                case "text" when part.Text is null:
                    return ApiError.MissingParameter(Path(".text"));
                case "image_url" when string.IsNullOrEmpty(part.ImageUrl?.Url):
                    return ApiError.MissingParameter(Path(".image_url.url"));
            }
        }

        return null;
    }

    private static ApiError? ValidateSampling(ChatCompletionRequest request)
    {
        if (request.Temperature is < 0 or > 2)
        {
            return ApiError.InvalidValue("temperature", $"Invalid 'temperature': {request.Temperature}. Expected a value between 0 and 2.");
        }

        if (request.TopP is < 0 or > 1)
        {
            return ApiError.InvalidValue("top_p", $"Invalid 'top_p': {request.TopP}. Expected a value between 0 and 1.");
        }

        if (request.N is < 1 or > 128)
        {
            return ApiError.InvalidValue("n", $"Invalid 'n': {request.N}. Expected a value between 1 and 128.");
        }

        if (request.MaxTokens is < 1)
        {
            return ApiError.InvalidValue("max_tokens", $"Invalid 'max_tokens': {request.MaxTokens}. Expected a value of at least 1.");
        }

        if (request.MaxCompletionTokens is < 1)
        {
            return ApiError.InvalidValue("max_completion_tokens", $"Invalid 'max_completion_tokens': {request.MaxCompletionTokens}. Expected a value of at least 1.");
        }

        return null;
    }

    private static ApiError? ValidateStop(JsonElement? stop)
    {
        if (stop is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.String)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ApiError.InvalidType("stop", "a string or an array of strings");
        }

        if (value.GetArrayLength() > 4)
        {
            return ApiError.InvalidValue("stop", "'stop' may hold at most 4 sequences.");
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return ApiError.InvalidType("stop", "a string or an array of strings");
            }
        }

        return null;
    }

    private static ApiError? ValidateTools(List<ChatTool>? tools)
    {
        if (tools is null)
        {
            return null;
        }

        for (var i = 0; i < tools.Count; i++)
        {
            string Path(string field = "") => $"tools[{i}]{field}";
            var tool = tools[i];
            if (tool is null)
            {
                return ApiError.InvalidType(Path(), "an object, but got null instead");
            }

            if (tool.Type is null)
            {
                return ApiError.MissingParameter(Path(".type"));
            }

            if (tool.Type == "function" && string.IsNullOrEmpty(tool.Function?.Name))
            {
                return ApiError.MissingParameter(Path(".function.name"));
            }
        }

        return null;
    }

    private static ApiError? ValidateStreamOptions(ChatCompletionRequest request) =>
        request.StreamOptions is not null && !request.IsStreaming
            ? ApiError.InvalidValue("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
            : null;
}
