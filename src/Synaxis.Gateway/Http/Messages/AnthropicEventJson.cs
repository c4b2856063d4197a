using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>Writes Anthropic's stream events straight to UTF-8, each event's JSON carrying its own <c>type</c> as Anthropic's do.</summary>
internal sealed class AnthropicEventJson : IDisposable
{
    public static readonly byte[] Error = "error"u8.ToArray();
    private static readonly byte[] MessageStartType = "message_start"u8.ToArray();
    private static readonly byte[] BlockStartType = "content_block_start"u8.ToArray();
    private static readonly byte[] BlockDeltaType = "content_block_delta"u8.ToArray();
    private static readonly byte[] BlockStopType = "content_block_stop"u8.ToArray();
    private static readonly byte[] MessageDeltaType = "message_delta"u8.ToArray();
    private static readonly byte[] MessageStopType = "message_stop"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _w = new(new ArrayBufferWriter<byte>(1), new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The empty message the stream fills. Token counts are known only at the end: <see cref="MessageDelta"/> carries them.</summary>
    public AnthropicEvent MessageStart(string id, string model)
    {
        Begin(MessageStartType);
        _w.WriteStartObject("message"u8);
        _w.WriteString("id"u8, id);
        _w.WriteString("type"u8, "message");
        _w.WriteString("role"u8, "assistant");
        _w.WriteString("model"u8, model);
        _w.WriteStartArray("content"u8);
        _w.WriteEndArray();
        _w.WriteNull("stop_reason"u8);
        _w.WriteNull("stop_sequence"u8);
        _w.WriteStartObject("usage"u8);
        _w.WriteNumber("input_tokens"u8, 0);
        _w.WriteNumber("output_tokens"u8, 0);
        _w.WriteEndObject();
        _w.WriteEndObject();
        return End(MessageStartType);
    }

    /// <summary>Opens a <c>text</c> or <c>thinking</c> block, empty, as Anthropic opens them.</summary>
    public AnthropicEvent BlockStart(int index, string kind)
    {
        BeginBlock(BlockStartType, index);
        _w.WriteStartObject("content_block"u8);
        _w.WriteString("type"u8, kind);
        _w.WriteString(kind, "");
        if (kind == "thinking")
        {
            _w.WriteString("signature"u8, "");
        }

        _w.WriteEndObject();
        return End(BlockStartType);
    }

    public AnthropicEvent ToolUseStart(int index, string id, string name)
    {
        BeginBlock(BlockStartType, index);
        _w.WriteStartObject("content_block"u8);
        _w.WriteString("type"u8, "tool_use");
        _w.WriteString("id"u8, id);
        _w.WriteString("name"u8, name);
        _w.WriteStartObject("input"u8);
        _w.WriteEndObject();
        _w.WriteEndObject();
        return End(BlockStartType);
    }

    /// <summary>A delta: <c>text_delta</c>/<c>text</c>, <c>thinking_delta</c>/<c>thinking</c> or <c>input_json_delta</c>/<c>partial_json</c>.</summary>
    public AnthropicEvent BlockDelta(int index, string type, string field, string value)
    {
        BeginBlock(BlockDeltaType, index);
        _w.WriteStartObject("delta"u8);
        _w.WriteString("type"u8, type);
        _w.WriteString(field, value);
        _w.WriteEndObject();
        return End(BlockDeltaType);
    }

    public AnthropicEvent BlockStop(int index)
    {
        BeginBlock(BlockStopType, index);
        return End(BlockStopType);
    }

    /// <summary>The stop reason and the whole message's counts, input tokens included (the SDKs take them from here).</summary>
    public AnthropicEvent MessageDelta(string stopReason, Usage? usage)
    {
        Begin(MessageDeltaType);
        _w.WriteStartObject("delta"u8);
        _w.WriteString("stop_reason"u8, stopReason);
        _w.WriteNull("stop_sequence"u8);
        _w.WriteEndObject();
        var cached = usage?.PromptTokensDetails?.CachedTokens ?? 0;
        _w.WriteStartObject("usage"u8);
        _w.WriteNumber("input_tokens"u8, Math.Max(0, (usage?.PromptTokens ?? 0) - cached));
        _w.WriteNumber("cache_read_input_tokens"u8, cached);
        _w.WriteNumber("output_tokens"u8, usage?.CompletionTokens ?? 0);
        _w.WriteEndObject();
        return End(MessageDeltaType);
    }

    public AnthropicEvent MessageStop()
    {
        Begin(MessageStopType);
        return End(MessageStopType);
    }

    public void Dispose() => _w.Dispose();

    private void Begin(byte[] type)
    {
        _buffer.ResetWrittenCount();
        _w.Reset(_buffer);
        _w.WriteStartObject();
        _w.WriteString("type"u8, type);
    }

    private void BeginBlock(byte[] type, int index)
    {
        Begin(type);
        _w.WriteNumber("index"u8, index);
    }

    private AnthropicEvent End(byte[] type)
    {
        _w.WriteEndObject();
        _w.Flush();
        return new AnthropicEvent(type, _buffer.WrittenSpan.ToArray());
    }
}
