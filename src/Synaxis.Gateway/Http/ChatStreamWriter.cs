using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Http;

/// <summary>Writes one streamed answer in a dialect: each canonical chunk as it comes, then the end or an error.</summary>
internal abstract class ChatStreamWriter
{
    /// <summary>Writes what <paramref name="chunk"/> stands for; its JSON is valid only during this call.</summary>
    public abstract ValueTask WriteChunkAsync(SseResponse client, StreamChunk chunk);

    /// <summary>Ends a complete answer.</summary>
    public abstract ValueTask WriteDoneAsync(SseResponse client);

    /// <summary>Ends a failed answer so that no client takes it for complete.</summary>
    public abstract ValueTask WriteErrorAsync(SseResponse client, ApiError error);
}
