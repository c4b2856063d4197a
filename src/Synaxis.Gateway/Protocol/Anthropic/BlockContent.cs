using System.Text.Json.Serialization;

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
