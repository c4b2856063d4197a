using System.Buffers;
using System.Text.Json;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// Turns an embeddings request body into a request and its inputs, or an error naming what is wrong, with
/// OpenAI's limits: at most 2048 inputs, none empty, <c>encoding_format</c> float or base64, positive <c>dimensions</c>.
/// </summary>
public static class EmbeddingsRequestReader
{
    public const int MaxInputs = 2048;

    public static ApiError? TryRead(ReadOnlySequence<byte> body, out EmbeddingsRequest? request, out EmbeddingInput? input)
    {
        request = null;
        input = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            request = body.IsEmpty ? null : JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.EmbeddingsRequest);
            if (request is null || reader.Read())
            {
                request = null;
                return InvalidBody();
            }
        }
        catch (JsonException exception)
        {
            request = null;
            return ChatRequestReader.ParamFromPath(exception.Path) is { } param and not "input"
                ? ApiError.InvalidType(param, param == "dimensions" ? "an integer" : "a string")
                : exception.Path == "$.input" ? InvalidInput() : InvalidBody();
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return request.Model is null ? ApiError.MissingParameter("model") : ApiError.InvalidValue("model", "'model' must not be empty.");
        }

        if (request.EncodingFormat is not (null or "float" or "base64"))
        {
            return ApiError.InvalidValue("encoding_format", $"Invalid 'encoding_format': '{request.EncodingFormat}'. Supported values are: 'float' and 'base64'.");
        }

        if (request.Dimensions is < 1)
        {
            return ApiError.InvalidValue("dimensions", $"Invalid 'dimensions': {request.Dimensions}. Expected a value of at least 1.");
        }

        if (request.Input is not { ValueKind: not JsonValueKind.Null } value)
        {
            return ApiError.MissingParameter("input");
        }

        return ReadInput(value, out input);
    }

    private static ApiError? ReadInput(JsonElement value, out EmbeddingInput? input)
    {
        input = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            input = EmbeddingInput.FromTexts([text]);
            return text.Length == 0 ? EmptyInput("input") : null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return InvalidInput();
        }

        var count = value.GetArrayLength();
        if (count == 0)
        {
            return ApiError.InvalidValue("input", "'input' must not be an empty array.");
        }

        if (count > MaxInputs)
        {
            return ApiError.InvalidValue("input", $"'input' may hold at most {MaxInputs} items; it holds {count}.");
        }

        return value[0].ValueKind switch
        {
            JsonValueKind.String => ReadTexts(value, out input),
            JsonValueKind.Number => ReadTokens([value], out input),
            JsonValueKind.Array => ReadTokens([.. value.EnumerateArray()], out input),
            _ => InvalidInput(),
        };
    }

    private static ApiError? ReadTexts(JsonElement array, out EmbeddingInput? input)
    {
        input = null;
        var texts = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return InvalidInput();
            }

            texts.Add(item.GetString()!);
            if (texts[^1].Length == 0)
            {
                return EmptyInput($"input[{texts.Count - 1}]");
            }
        }

        input = EmbeddingInput.FromTexts(texts);
        return null;
    }

    private static ApiError? ReadTokens(List<JsonElement> sequences, out EmbeddingInput? input)
    {
        input = null;
        var tokens = new List<int[]>(sequences.Count);
        foreach (var sequence in sequences)
        {
            if (sequence.ValueKind != JsonValueKind.Array || sequence.GetArrayLength() == 0)
            {
                return InvalidInput();
            }

            var ids = new int[sequence.GetArrayLength()];
            var i = 0;
            foreach (var id in sequence.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out ids[i++]) || ids[i - 1] < 0)
                {
                    return InvalidInput();
                }
            }

            tokens.Add(ids);
        }

        input = EmbeddingInput.FromTokens(tokens);
        return null;
    }

    private static ApiError InvalidBody() => ApiError.InvalidRequest(
        "We could not parse the JSON body of your request. The API expects a JSON object with 'model' and 'input'.",
        code: "invalid_json");

    private static ApiError InvalidInput() => ApiError.InvalidType("input",
        "a string, an array of strings, an array of token ids, or an array of token-id arrays");

    private static ApiError EmptyInput(string param) => ApiError.InvalidValue(param, $"'{param}' must not be an empty string.");
}
