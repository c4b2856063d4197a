using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// One event of a streamed answer in canonical form: the JSON of an OpenAI <c>chat.completion.chunk</c>.
/// </summary>
/// <remarks>
/// <see cref="Json"/> points into the provider's reusable buffer and is valid only until the enumerator
/// moves on; the relay writes it out before asking for the next chunk, so no chunk is copied twice.
/// </remarks>
public readonly struct StreamChunk
{
    public StreamChunk(ReadOnlyMemory<byte> json, bool hasChoices, Usage? usage)
    {
        Json = json;
        HasChoices = hasChoices;
        Usage = usage;
    }

    private StreamChunk(UpstreamFailure failure, Usage? usage)
    {
        Failure = failure;
        Usage = usage;
    }

    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>False for the usage-only chunk (<c>"choices":[]</c>) that ends an OpenAI stream.</summary>
    public bool HasChoices { get; }

    /// <summary>Token counts when this chunk carries them.</summary>
    public Usage? Usage { get; }

    /// <summary>Set when the upstream reported an error in the stream; the stream ends with it.</summary>
    public UpstreamFailure? Failure { get; }

    public static StreamChunk Failed(UpstreamFailure failure, Usage? usage = null) => new(failure, usage);
}
