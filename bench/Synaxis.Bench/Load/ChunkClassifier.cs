using System.Text.Json;

namespace Synaxis.Bench.Load;

/// <summary>What one SSE event of an OpenAI stream is, as far as the timings and the checks care.</summary>
internal enum ChunkKind
{
    /// <summary><c>choices[0].delta.content</c> is a non-empty string: a token the user would see.</summary>
    Content,

    /// <summary>A chunk without content: role, finish reason, usage.</summary>
    Other,

    /// <summary>The <c>[DONE]</c> sentinel that ends a good stream.</summary>
    Done,

    /// <summary>An in-band <c>{"error":…}</c>: the stream failed after it started.</summary>
    Error,

    /// <summary>Not JSON, or not an object.</summary>
    Invalid,
}

/// <summary>
/// Classifies SSE event data without building objects, so the client spends as little CPU per
/// event as possible: on this 2-core machine the load generator shares the cores with the gateway.
/// </summary>
internal static class ChunkClassifier
{
    public static ChunkKind Classify(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return ChunkKind.Done;
        }

        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ChunkKind.Invalid;
            }

            var kind = ChunkKind.Other;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    kind = ChunkKind.Error;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (kind != ChunkKind.Error && FirstChoiceHasContent(ref reader))
                    {
                        kind = ChunkKind.Content;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return kind;
        }
        catch (JsonException)
        {
            return ChunkKind.Invalid;
        }
    }

    // Entered on the value of "choices"; leaves the reader on that value's last token.
    private static bool FirstChoiceHasContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        var depth = reader.CurrentDepth;
        var found = false;
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    found = DeltaHasContent(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        // Skip the remaining choices, up to the array's end.
        while (reader.CurrentDepth > depth || reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            reader.Read();
        }

        return found;
    }

    // Entered on the value of "delta"; leaves the reader on that value's last token.
    private static bool DeltaHasContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                found = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else
            {
                reader.Skip();
            }
        }

        return found;
    }
}
