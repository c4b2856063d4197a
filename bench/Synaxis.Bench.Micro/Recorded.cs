using Synaxis.Testing;

namespace Synaxis.Bench.Micro;

/// <summary>The recorded provider bytes the benchmarks run on, and single events cut from them.</summary>
internal static class Recorded
{
    /// <summary>A real OpenAI stream with usage: role chunk, content chunks, finish chunk, usage chunk, <c>[DONE]</c>.</summary>
    public const string TextStream = "openai/chat-stream-include-usage.sse";

    /// <summary>A real OpenAI stream of parallel tool calls, whose chunks are larger and nest deeper.</summary>
    public const string ToolCallStream = "openai/chat-stream-parallel-tool-calls.sse";

    public static byte[] Bytes(string fixture) => Fixtures.Bytes(fixture);

    /// <summary>The <c>data:</c> payloads of a recorded stream, in order.</summary>
    public static IReadOnlyList<byte[]> Events(string fixture) =>
        System.Text.Encoding.UTF8.GetString(Bytes(fixture))
            .Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => System.Text.Encoding.UTF8.GetBytes(line["data: ".Length..].TrimEnd('\r')))
            .ToList();
}
