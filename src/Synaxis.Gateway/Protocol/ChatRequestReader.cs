using System.Buffers;
using System.Text.Json;

namespace Synaxis.Gateway.Protocol;

/// <summary>Turns a request body into a <see cref="ChatCompletionRequest"/> or an error naming what is wrong.</summary>
public static class ChatRequestReader
{
    public static ApiError? TryRead(ReadOnlySequence<byte> body, out ChatCompletionRequest? request)
    {
        request = null;
        if (body.IsEmpty)
        {
            return InvalidBody();
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            request = JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.ChatCompletionRequest);
            if (reader.Read())
            {
                request = null;
                return InvalidBody(); // something follows the request object
            }
        }
        catch (JsonException exception)
        {
            return IsWellFormed(body) && ParamFromPath(exception.Path) is { } param
                ? ApiError.InvalidType(param, ExpectedTypeFor(param))
                : InvalidBody();
        }

        return request is null ? InvalidBody() : ChatRequestValidator.Validate(request);
    }

    private static ApiError InvalidBody() => ApiError.InvalidRequest(
        "We could not parse the JSON body of your request. The API expects a JSON object with 'model' and 'messages'.",
        code: "invalid_json");

    // A JsonException carries the path of the value that failed; a syntax error and a wrong type both land
    // there, so the rare failure path re-reads the body to tell them apart.
    private static bool IsWellFormed(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
            }

            return reader.TokenType is JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static string? ParamFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var param = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // STJ writes property names that need escaping as ['name']; keep them readable.
        return param.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    private static string ExpectedTypeFor(string param)
    {
        var leaf = param[(param.LastIndexOf('.') + 1)..];
        return leaf switch
        {
            "messages" or "tools" => "an array",
            "content" => "a string or an array of content parts",
            "stream" or "include_usage" or "strict" => "a boolean",
            "temperature" or "top_p" => "a number",
            "max_tokens" or "max_completion_tokens" or "n" => "an integer",
            _ when leaf.EndsWith(']') => "an object",
            "stream_options" or "image_url" or "function" => "an object",
            _ => "a string",
        };
    }
}
