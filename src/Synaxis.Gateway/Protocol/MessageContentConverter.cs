using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Synaxis.Gateway.Protocol;

/// <summary>Reads and writes <see cref="MessageContent"/> as a string or an array of parts.</summary>
internal sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    public override MessageContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return MessageContent.FromText(reader.GetString()!);
            case JsonTokenType.StartArray:
                var parts = JsonSerializer.Deserialize(ref reader, PartsInfo(options));
                return MessageContent.FromParts(parts!);
            default:
                throw new JsonException("Expected a string or an array of content parts.");
        }
    }

    // The parts are read with the options in use, so the caller's context and encoder apply to them too.
    private static JsonTypeInfo<List<ContentPart>> PartsInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<List<ContentPart>>)options.GetTypeInfo(typeof(List<ContentPart>));

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Parts!, PartsInfo(options));
        }
    }
}
