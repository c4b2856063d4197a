namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>What a content block of an Anthropic stream becomes for an OpenAI client.</summary>
internal enum StreamedBlockKind
{
    Text,
    ToolUse,
    Thinking,

    /// <summary>Redacted thinking and server tool blocks: nothing an OpenAI client can read.</summary>
    Dropped,
}

/// <summary>A content block of an Anthropic stream between its <c>content_block_start</c> and <c>content_block_stop</c>.</summary>
internal sealed class StreamedBlock(StreamedBlockKind kind)
{
    public StreamedBlockKind Kind { get; } = kind;

    /// <summary>For a tool_use block: its position among the answer's tool calls, OpenAI's <c>tool_calls[].index</c>.</summary>
    public int ToolIndex { get; set; }

    /// <summary>A tool_use block's input when it came whole in <c>content_block_start</c> rather than in deltas.</summary>
    public string? InitialInput { get; set; }

    public bool SawArguments { get; set; }

    public bool Closed { get; set; }
}
