using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>Reads and writes <see cref="BlockContent"/> as a string or an array of blocks.</summary>
internal sealed class BlockContentConverter : JsonConverter<BlockContent>
{
    public override BlockContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => BlockContent.FromText(reader.GetString()!),
        JsonTokenType.StartArray => BlockContent.FromBlocks(JsonSerializer.Deserialize(ref reader, BlocksInfo(options))!),
        _ => throw new JsonException("Expected a string or an array of content blocks."),
    };

    public override void Write(Utf8JsonWriter writer, BlockContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Blocks!, BlocksInfo(options));
        }
    }

    private static JsonTypeInfo<List<ContentBlock>> BlocksInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<List<ContentBlock>>)options.GetTypeInfo(typeof(List<ContentBlock>));
}
