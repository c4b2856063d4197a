using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Turns Anthropic stream events into canonical chunks, one event at a time:
/// <c>message_start</c> → the role chunk; <c>text_delta</c> → <c>content</c>; <c>thinking_delta</c> →
/// <c>reasoning_content</c>; a <c>tool_use</c> block → a tool call (id and name first, then each
/// <c>input_json_delta</c> as <c>arguments</c>); <c>message_stop</c> → the finish chunk and the usage chunk.
/// Redacted thinking, signatures, <c>ping</c> and unknown events are dropped. An <c>error</c> event, an
/// event out of order or a body that ends before <c>message_stop</c> ends the stream with a failure.
/// </summary>
internal sealed class AnthropicStreamTranslator : IDisposable
{
    private readonly ChunkJsonWriter _chunks;
    private readonly Dictionary<int, StreamedBlock> _blocks = [];
    private readonly AnthropicStreamUsage _usage = new();
    private bool _started;
    private int _toolCalls;
    private string? _stopReason;

    public AnthropicStreamTranslator(string id, string model, long created) => _chunks = new ChunkJsonWriter(id, created, model);

    /// <summary>True once <c>message_stop</c> arrived: the answer is whole and the stream is over.</summary>
    public bool Completed { get; private set; }

    /// <summary>The <see cref="System.Net.ServerSentEvents.SseItemParser{T}"/>: one event's JSON, or null when it is not JSON.</summary>
    public static StreamEvent? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return data.Trim(" \t\r\n"u8).IsEmpty ? new StreamEvent() : JsonSerializer.Deserialize(data, AnthropicJsonContext.Wire.StreamEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Adds the chunks <paramref name="upstream"/> stands for to <paramref name="output"/>; a failure is always last.</summary>
    public void Translate(string eventType, StreamEvent? upstream, List<StreamChunk> output)
    {
        if (upstream is null)
        {
            output.Add(Fail(UpstreamFailureKind.ProtocolError, "The upstream sent a stream event that is not valid JSON."));
            return;
        }

        if (eventType == "error" || upstream.Type == "error")
        {
            output.Add(StreamChunk.Failed(AnthropicErrorReader.FromStreamError(upstream.Error), CurrentUsage()));
            return;
        }

        if (upstream.Type is "message_start" or "content_block_start" or "content_block_delta" or "content_block_stop" or "message_delta" or "message_stop"
            && (upstream.Type == "message_start") == _started)
        {
            output.Add(Fail(UpstreamFailureKind.ProtocolError, _started ? "The upstream started a second message in one stream." : $"The upstream sent '{upstream.Type}' before 'message_start'."));
            return;
        }

        var failure = upstream.Type switch
        {
            "message_start" => Start(upstream.Message, output),
            "content_block_start" => StartBlock(upstream, output),
            "content_block_delta" => Delta(upstream, output),
            "content_block_stop" => StopBlock(upstream.Index, output),
            "message_delta" => MessageDelta(upstream),
            "message_stop" => Stop(output),
            _ => null, // ping, and event types newer than this gateway
        };
        if (failure is not null)
        {
            output.Add(StreamChunk.Failed(failure, CurrentUsage()));
        }
    }

    /// <summary>The failure that ends a stream whose body ended before <c>message_stop</c>.</summary>
    public StreamChunk Truncated() => Fail(UpstreamFailureKind.Reset, "The upstream ended the stream before the answer was complete.");

    public void Dispose() => _chunks.Dispose();

    private UpstreamFailure? Start(MessageResponse? message, List<StreamChunk> output)
    {
        _started = true;
        _chunks.Identify(message?.Id, message?.Model);
        if (message?.Usage is { } usage)
        {
            _usage.Take(usage, final: false);
        }

        output.Add(Owned(_chunks.Single(role: true, content: "")));
        return null;
    }

    private UpstreamFailure? StartBlock(StreamEvent upstream, List<StreamChunk> output)
    {
        if (upstream.Index is not { } index || upstream.ContentBlock is not { } content || _blocks.ContainsKey(index))
        {
            return ProtocolError("The upstream started a content block without an index, or one index twice.");
        }

        var block = new StreamedBlock(content.Type switch
        {
            "text" => StreamedBlockKind.Text,
            "tool_use" => StreamedBlockKind.ToolUse,
            "thinking" => StreamedBlockKind.Thinking,
            _ => StreamedBlockKind.Dropped, // redacted_thinking is opaque; server tool blocks have no OpenAI form
        });
        _blocks[index] = block;
        switch (block.Kind)
        {
            case StreamedBlockKind.Text when !string.IsNullOrEmpty(content.Text):
                Emit(output, Owned(_chunks.Single(content: content.Text)), content.Text.Length);
                break;
            case StreamedBlockKind.Thinking when !string.IsNullOrEmpty(content.Thinking):
                Emit(output, Owned(_chunks.Single(reasoning: content.Thinking)), content.Thinking.Length);
                break;
            case StreamedBlockKind.ToolUse:
                block.ToolIndex = _toolCalls++;
                block.InitialInput = content.Input is { ValueKind: JsonValueKind.Object } input && input.EnumerateObject().Any() ? input.GetRawText() : null;
                output.Add(Owned(_chunks.Single(toolCall: new ToolCallDelta(block.ToolIndex, content.Id ?? "", content.Name ?? "", ""))));
                break;
        }

        return null;
    }

    private UpstreamFailure? Delta(StreamEvent upstream, List<StreamChunk> output)
    {
        if (upstream.Index is not { } index || !_blocks.TryGetValue(index, out var block) || block.Closed || upstream.Delta is not { } delta)
        {
            return ProtocolError("The upstream sent a delta for a content block that is not open.");
        }

        var expected = delta.Type switch
        {
            "text_delta" => StreamedBlockKind.Text,
            "input_json_delta" => StreamedBlockKind.ToolUse,
            "thinking_delta" or "signature_delta" => StreamedBlockKind.Thinking,
            _ => block.Kind, // citations and newer delta kinds carry nothing an OpenAI client reads
        };
        if (block.Kind == StreamedBlockKind.Dropped)
        {
            return null;
        }

        if (expected != block.Kind)
        {
            return ProtocolError($"The upstream sent a '{delta.Type}' for a content block of another kind.");
        }

        switch (delta.Type)
        {
            case "text_delta" when !string.IsNullOrEmpty(delta.Text):
                Emit(output, Owned(_chunks.Single(content: delta.Text)), delta.Text.Length);
                break;
            case "thinking_delta" when !string.IsNullOrEmpty(delta.Thinking):
                Emit(output, Owned(_chunks.Single(reasoning: delta.Thinking)), delta.Thinking.Length);
                break;
            case "input_json_delta" when !string.IsNullOrEmpty(delta.PartialJson):
                block.SawArguments = true;
                Emit(output, Owned(_chunks.Single(toolCall: new ToolCallDelta(block.ToolIndex, null, null, delta.PartialJson))), delta.PartialJson.Length);
                break;
        }

        return null;
    }

    private UpstreamFailure? StopBlock(int? index, List<StreamChunk> output)
    {
        if (index is not { } i || !_blocks.TryGetValue(i, out var block) || block.Closed)
        {
            return ProtocolError("The upstream closed a content block that is not open.");
        }

        block.Closed = true;
        // A tool without parameters streams no arguments; OpenAI clients parse them, so they get "{}".
        if (block.Kind == StreamedBlockKind.ToolUse && !block.SawArguments)
        {
            var arguments = block.InitialInput ?? "{}";
            Emit(output, Owned(_chunks.Single(toolCall: new ToolCallDelta(block.ToolIndex, null, null, arguments))), arguments.Length);
        }

        return null;
    }

    private UpstreamFailure? MessageDelta(StreamEvent upstream)
    {
        _stopReason = upstream.Delta?.StopReason ?? _stopReason;
        if (upstream.Usage is { } usage)
        {
            _usage.Take(usage, final: true);
        }

        return null;
    }

    private UpstreamFailure? Stop(List<StreamChunk> output)
    {
        Completed = true;
        output.Add(Owned(_chunks.Single(finishReason: AnthropicFinishReasons.ToOpenAI(_stopReason))));
        output.Add(Owned(_chunks.Usage(CurrentUsage()!)));
        return null;
    }

    /// <summary>The usage so far, exact or estimated; none before the message started (Anthropic counts nothing then).</summary>
    private Usage? CurrentUsage() => _started ? _usage.Current() : null;

    private void Emit(List<StreamChunk> output, StreamChunk chunk, int characters)
    {
        _usage.Relayed(characters);
        output.Add(chunk);
    }

    /// <summary>A copy the caller owns: one upstream event can yield two chunks (finish, then usage), and the writer reuses its buffer.</summary>
    private static StreamChunk Owned(StreamChunk chunk) => new(chunk.Json.ToArray(), chunk.HasChoices, chunk.Usage);

    private StreamChunk Fail(UpstreamFailureKind kind, string message) => StreamChunk.Failed(new UpstreamFailure(kind, message), CurrentUsage());

    private static UpstreamFailure ProtocolError(string message) => new(UpstreamFailureKind.ProtocolError, message);
}
