using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>Writes one streamed answer of <c>/v1/messages</c>: each canonical chunk as the Anthropic events it stands for.</summary>
internal sealed class MessagesStreamWriter(string model) : ChatStreamWriter
{
    private readonly MessagesEventWriter _events = new(model);
    private readonly List<AnthropicEvent> _pending = new(4);

    public override ValueTask WriteChunkAsync(SseResponse client, StreamChunk chunk)
    {
        _events.Chunk(chunk.Json.Span, _pending);
        return FlushAsync(client);
    }

    public override ValueTask WriteDoneAsync(SseResponse client)
    {
        _events.Done(_pending);
        return FlushAsync(client);
    }

    /// <summary><c>event: error</c> with Anthropic's error body; no <c>message_stop</c> follows, so no client takes the answer for whole.</summary>
    public override ValueTask WriteErrorAsync(SseResponse client, ApiError error) =>
        client.WriteEventAsync(AnthropicEventJson.Error, AnthropicErrors.ToUtf8Json(error));

    private async ValueTask FlushAsync(SseResponse client)
    {
        foreach (var e in _pending)
        {
            await client.WriteEventAsync(e.Type, e.Data).ConfigureAwait(false);
        }

        _pending.Clear();
    }
}
