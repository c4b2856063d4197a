using System.Globalization;
using System.Text;

namespace Synaxis.Bench.Upstream;

/// <summary>
/// What the fake upstream answers, as wire bytes built once per scenario: a streamed answer of
/// <see cref="Chunks"/> content chunks paced by <see cref="FirstDelay"/> and <see cref="BetweenDelay"/>,
/// then a finish chunk, a usage chunk and <c>[DONE]</c> (the shape OpenAI sends with
/// <c>stream_options.include_usage</c>), or one <c>chat.completion</c> when the request did not ask to stream.
/// Building the bytes up front keeps the upstream's own CPU per event to a write and a flush.
/// </summary>
internal sealed class UpstreamScript
{
    private const string Head = """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1727346168,"model":"bench-upstream","system_fingerprint":"fp_bench","choices":[""";

    private UpstreamScript(int chunks, TimeSpan firstDelay, TimeSpan betweenDelay)
    {
        Chunks = chunks;
        FirstDelay = firstDelay;
        BetweenDelay = betweenDelay;
        ContentEvents = Enumerable.Range(0, chunks).Select(i => Event(Head + Choice(i == 0
            ? $$"""{"role":"assistant","content":"tok{{i}} "}"""
            : $$"""{"content":"tok{{i}} "}""", "null") + "]}")).ToArray();
        var usage = string.Create(CultureInfo.InvariantCulture, $$"""{"prompt_tokens":9,"completion_tokens":{{chunks}},"total_tokens":{{9 + chunks}}}""");
        Tail = Encoding.UTF8.GetBytes(
            Text(Event(Head + Choice("{}", "\"stop\"") + "]}")) +
            Text(Event(Head + "],\"usage\":" + usage + "}")) +
            "data: [DONE]\n\n");
        Completion = Encoding.UTF8.GetBytes(
            $$"""{"id":"chatcmpl-bench","object":"chat.completion","created":1727346168,"model":"bench-upstream","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"{{string.Concat(Enumerable.Range(0, chunks).Select(i => $"tok{i} "))}}","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{{usage}}}""");
    }

    public int Chunks { get; }

    public TimeSpan FirstDelay { get; }

    public TimeSpan BetweenDelay { get; }

    /// <summary>One <c>data:</c> event per content chunk, the first carrying the assistant role as OpenAI's does.</summary>
    public byte[][] ContentEvents { get; }

    /// <summary>The finish chunk, the usage chunk and <c>data: [DONE]</c>, sent together as OpenAI does.</summary>
    public byte[] Tail { get; }

    /// <summary>The non-streamed answer: the same text as one message.</summary>
    public byte[] Completion { get; }

    public static UpstreamScript Create(int chunks, TimeSpan firstDelay, TimeSpan betweenDelay) => new(chunks, firstDelay, betweenDelay);

    private static string Choice(string delta, string finishReason) =>
        $$"""{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finishReason}}}""";

    private static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
