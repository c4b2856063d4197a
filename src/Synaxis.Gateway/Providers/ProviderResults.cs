using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers;

/// <summary>The outcome of a non-streamed call: the answer's JSON and usage, or a failure.</summary>
public readonly struct CompletionResult
{
    private CompletionResult(ReadOnlyMemory<byte> json, Usage? usage, UpstreamFailure? failure)
    {
        Json = json;
        Usage = usage;
        Failure = failure;
    }

    /// <summary>The OpenAI <c>chat.completion</c> object, UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    public Usage? Usage { get; }

    public UpstreamFailure? Failure { get; }

    public static CompletionResult Success(ReadOnlyMemory<byte> json, Usage? usage) => new(json, usage, null);

    public static CompletionResult Failed(UpstreamFailure failure) => new(default, null, failure);
}

/// <summary>The outcome of opening a stream: the chunks to relay, or a failure before the first one.</summary>
public readonly struct StreamResult
{
    private StreamResult(IAsyncEnumerable<StreamChunk>? chunks, UpstreamFailure? failure)
    {
        Chunks = chunks;
        Failure = failure;
    }

    public IAsyncEnumerable<StreamChunk>? Chunks { get; }

    public UpstreamFailure? Failure { get; }

    public static StreamResult Success(IAsyncEnumerable<StreamChunk> chunks) => new(chunks, null);

    public static StreamResult Failed(UpstreamFailure failure) => new(null, failure);
}
