using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>Content as Anthropic accepts it in messages, <c>system</c> and tool results: a string or an array of blocks.</summary>
[JsonConverter(typeof(BlockContentConverter))]
public sealed class BlockContent
{
    private BlockContent(string? text, List<ContentBlock>? blocks)
    {
        Text = text;
        Blocks = blocks;
    }

    /// <summary>The content when it was sent as a plain string.</summary>
    public string? Text { get; }

    /// <summary>The content when it was sent as an array of blocks.</summary>
    public List<ContentBlock>? Blocks { get; }

    public static BlockContent FromText(string text) => new(text, null);

    public static BlockContent FromBlocks(List<ContentBlock> blocks) => new(null, blocks);
}

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
