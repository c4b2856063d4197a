using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>One Anthropic stream event: its <c>event:</c> name and its JSON.</summary>
internal readonly record struct AnthropicEvent(byte[] Type, byte[] Data);

/// <summary>
/// Turns a canonical chunk stream into Anthropic's events, as the Anthropic SDKs accumulate them:
/// <c>message_start</c> first; then content blocks numbered in order, one open at a time (text for
/// <c>content</c>, thinking for <c>reasoning_content</c>, tool_use for each tool call with its arguments as
/// <c>input_json_delta</c>); at the end <c>message_delta</c> with the stop reason and usage, and <c>message_stop</c>.
/// </summary>
internal sealed class MessagesEventWriter(string fallbackModel) : IDisposable
{
    public static readonly byte[] MessageStart = "message_start"u8.ToArray();
    public static readonly byte[] BlockStart = "content_block_start"u8.ToArray();
    public static readonly byte[] BlockDelta = "content_block_delta"u8.ToArray();
    public static readonly byte[] BlockStop = "content_block_stop"u8.ToArray();
    public static readonly byte[] MessageDelta = "message_delta"u8.ToArray();
    public static readonly byte[] MessageStop = "message_stop"u8.ToArray();
    public static readonly byte[] Error = "error"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json = new(new ArrayBufferWriter<byte>(1), new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private int _blocks;
    private int _open = -1;
    private string? _openKind;
    private string? _finishReason;
    private Usage? _usage;

    /// <summary>Adds the events a canonical chunk stands for; a chunk that is not a chat.completion.chunk adds none.</summary>
    public void Chunk(ReadOnlySpan<byte> json, List<AnthropicEvent> output)
    {
        ChatCompletionChunk? chunk;
        try
        {
            chunk = JsonSerializer.Deserialize(json, GatewayJsonContext.Wire.ChatCompletionChunk);
        }
        catch (JsonException)
        {
            return;
        }

        if (chunk is null)
        {
            return;
        }

        Start(chunk.Id, chunk.Model, output);
        _usage = chunk.Usage ?? _usage;
        // Anthropic has one answer per message: the first choice is the answer.
        if (chunk.Choices.Find(c => c.Index == 0) is not { } choice)
        {
            return;
        }

        var delta = choice.Delta;
        if (Reasoning(delta) is { Length: > 0 } reasoning)
        {
            Open("thinking", output);
            Write(output, BlockDelta, w => { w.WriteString("type"u8, "content_block_delta"); w.WriteNumber("index"u8, _open); Delta(w, "thinking_delta", "thinking", reasoning); });
        }

        if ((delta.Content ?? delta.Refusal) is { Length: > 0 } text)
        {
            Open("text", output);
            Write(output, BlockDelta, w => { w.WriteString("type"u8, "content_block_delta"); w.WriteNumber("index"u8, _open); Delta(w, "text_delta", "text", text); });
        }

        foreach (var call in delta.ToolCalls ?? [])
        {
            ToolCall(call, output);
        }

        if (choice.FinishReason is { } finish)
        {
            _finishReason = finish;
            Close(output);
        }
    }

    /// <summary>Ends a complete answer: <c>message_delta</c> with the stop reason and usage, then <c>message_stop</c>.</summary>
    public void Done(List<AnthropicEvent> output)
    {
        Start(null, null, output);
        Close(output);
        Write(output, MessageDelta, w =>
        {
            w.WriteString("type"u8, "message_delta");
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, AnthropicFinishReasons.ToAnthropic(_finishReason));
            w.WriteNull("stop_sequence"u8);
            w.WriteEndObject();
            w.WriteStartObject("usage"u8);
            var cached = _usage?.PromptTokensDetails?.CachedTokens ?? 0;
            w.WriteNumber("input_tokens"u8, Math.Max(0, (_usage?.PromptTokens ?? 0) - cached));
            w.WriteNumber("cache_read_input_tokens"u8, cached);
            w.WriteNumber("output_tokens"u8, _usage?.CompletionTokens ?? 0);
            w.WriteEndObject();
        });
        Write(output, MessageStop, w => w.WriteString("type"u8, "message_stop"));
    }

    public void Dispose() => _json.Dispose();

    private void Start(string? id, string? model, List<AnthropicEvent> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Write(output, MessageStart, w =>
        {
            w.WriteString("type"u8, "message_start");
            w.WriteStartObject("message"u8);
            w.WriteString("id"u8, id ?? $"msg_{Guid.NewGuid():N}");
            w.WriteString("type"u8, "message");
            w.WriteString("role"u8, "assistant");
            w.WriteString("model"u8, model ?? fallbackModel);
            w.WriteStartArray("content"u8);
            w.WriteEndArray();
            w.WriteNull("stop_reason"u8);
            w.WriteNull("stop_sequence"u8);
            // The counts are known only at the end; message_delta carries them, input tokens included.
            w.WriteStartObject("usage"u8);
            w.WriteNumber("input_tokens"u8, 0);
            w.WriteNumber("output_tokens"u8, 0);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private void ToolCall(ToolCall call, List<AnthropicEvent> output)
    {
        var index = call.Index ?? 0;
        if (!_toolBlocks.TryGetValue(index, out var block))
        {
            Close(output);
            block = _open = _blocks++;
            _openKind = "tool_use";
            _toolBlocks[index] = block;
            Write(output, BlockStart, w =>
            {
                w.WriteString("type"u8, "content_block_start");
                w.WriteNumber("index"u8, block);
                w.WriteStartObject("content_block"u8);
                w.WriteString("type"u8, "tool_use");
                w.WriteString("id"u8, call.Id ?? $"toolu_{Guid.NewGuid():N}");
                w.WriteString("name"u8, call.Function?.Name ?? "");
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        // Deltas of a call whose block was closed by another still carry its index; the SDKs accumulate by index.
        if (call.Function?.Arguments is { Length: > 0 } arguments)
        {
            Write(output, BlockDelta, w => { w.WriteString("type"u8, "content_block_delta"); w.WriteNumber("index"u8, block); Delta(w, "input_json_delta", "partial_json", arguments); });
        }
    }

    private void Open(string kind, List<AnthropicEvent> output)
    {
        if (_openKind == kind)
        {
            return;
        }

        Close(output);
        _open = _blocks++;
        _openKind = kind;
        Write(output, BlockStart, w =>
        {
            w.WriteString("type"u8, "content_block_start");
            w.WriteNumber("index"u8, _open);
            w.WriteStartObject("content_block"u8);
            w.WriteString("type"u8, kind);
            w.WriteString(kind, "");
            if (kind == "thinking")
            {
                w.WriteString("signature"u8, "");
            }

            w.WriteEndObject();
        });
    }

    private void Close(List<AnthropicEvent> output)
    {
        if (_openKind is null)
        {
            return;
        }

        var index = _open;
        _openKind = null;
        Write(output, BlockStop, w => { w.WriteString("type"u8, "content_block_stop"); w.WriteNumber("index"u8, index); });
    }

    private static string? Reasoning(ChatDelta delta) =>
        delta.ExtensionData is { } extra && (extra.TryGetValue("reasoning_content", out var value) || extra.TryGetValue("reasoning", out value))
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Delta(Utf8JsonWriter w, string type, string field, string value)
    {
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, type);
        w.WriteString(field, value);
        w.WriteEndObject();
    }

    private void Write(List<AnthropicEvent> output, byte[] type, Action<Utf8JsonWriter> body)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        body(_json);
        _json.WriteEndObject();
        _json.Flush();
        output.Add(new AnthropicEvent(type, _buffer.WrittenSpan.ToArray()));
    }
}
