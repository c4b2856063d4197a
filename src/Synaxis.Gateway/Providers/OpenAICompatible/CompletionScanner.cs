using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>Checks that a non-streamed answer is a chat completion and finds its usage, without building the object.</summary>
internal static class CompletionScanner
{
    public static bool TryReadUsage(ReadOnlySpan<byte> body, out Usage? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var sawChoices = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                sawChoices |= reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.Usage);
                }
                else
                {
                    reader.Skip();
                }
            }

            return sawChoices;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Characters of the answer's messages (content, refusal, reasoning, tool calls), for an estimate when usage is missing.</summary>
    public static long CountAnswerCharacters(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        long characters = 0;
        var inChoices = false;
        var isLabel = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.CurrentDepth == 1)
                    {
                        inChoices = reader.ValueTextEquals("choices"u8);
                    }

                    // Inside choices only the message's text counts, not labels or finish reasons.
                    isLabel = reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("id"u8)
                        || reader.ValueTextEquals("finish_reason"u8) || reader.ValueTextEquals("logprobs"u8);
                }
                else if (inChoices && reader.TokenType == JsonTokenType.String && !isLabel)
                {
                    characters += reader.ValueSpan.Length;
                }
            }
        }
        catch (JsonException)
        {
            // The scan that accepted the body already proved it well formed; a partial count is still an estimate.
        }

        return characters;
    }
}
