using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Writes the canonical <c>chat.completion.chunk</c> events of one stream, one choice (index 0), straight
/// to UTF-8 without building objects: every chunk carries the stream's id, created time and model.
/// </summary>
internal sealed class ChunkJsonWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly long _created;
    private string _id;
    private string _model;

    public ChunkJsonWriter(string id, string model, long created)
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _id = id;
        _model = model;
        _created = created;
    }

    /// <summary>Takes the id and model the upstream announced at the start of the stream.</summary>
    public void Identify(string? id, string? model)
    {
        _id = string.IsNullOrEmpty(id) ? _id : id;
        _model = string.IsNullOrEmpty(model) ? _model : model;
    }

    public StreamChunk Role()
    {
        var w = BeginDelta();
        w.WriteString("role"u8, "assistant");
        w.WriteString("content"u8, "");
        return EndDelta(null);
    }

    public StreamChunk Content(string text)
    {
        BeginDelta().WriteString("content"u8, text);
        return EndDelta(null);
    }

    /// <summary>Reasoning as DeepSeek streams it: the field OpenAI-format clients of reasoning models read.</summary>
    public StreamChunk Reasoning(string text)
    {
        BeginDelta().WriteString("reasoning_content"u8, text);
        return EndDelta(null);
    }

    /// <summary>The first delta of a tool call: its position, id and name, and empty arguments.</summary>
    public StreamChunk ToolCallStart(int index, string id, string name)
    {
        WriteToolCall(BeginDelta(), index, id, name, "");
        return EndDelta(null);
    }

    public StreamChunk ToolCallArguments(int index, string arguments)
    {
        WriteToolCall(BeginDelta(), index, null, null, arguments);
        return EndDelta(null);
    }

    public StreamChunk Finish(string finishReason)
    {
        BeginDelta();
        return EndDelta(finishReason);
    }

    /// <summary>The usage-only chunk (<c>"choices":[]</c>) that ends an OpenAI stream.</summary>
    public StreamChunk Usage(Usage usage)
    {
        BeginEnvelope();
        _writer.WriteEndArray();
        _writer.WritePropertyName("usage"u8);
        JsonSerializer.Serialize(_writer, usage, GatewayJsonContext.Wire.Usage);
        return End(hasChoices: false, usage);
    }

    public void Dispose() => _writer.Dispose();

    private void BeginEnvelope()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("id"u8, _id);
        _writer.WriteString("object"u8, "chat.completion.chunk");
        _writer.WriteNumber("created"u8, _created);
        _writer.WriteString("model"u8, _model);
        _writer.WriteStartArray("choices"u8);
    }

    private Utf8JsonWriter BeginDelta()
    {
        BeginEnvelope();
        _writer.WriteStartObject();
        _writer.WriteNumber("index"u8, 0);
        _writer.WriteStartObject("delta"u8);
        return _writer;
    }

    private StreamChunk EndDelta(string? finishReason)
    {
        _writer.WriteEndObject();
        if (finishReason is null)
        {
            _writer.WriteNull("finish_reason"u8);
        }
        else
        {
            _writer.WriteString("finish_reason"u8, finishReason);
        }

        _writer.WriteEndObject();
        _writer.WriteEndArray();
        return End(hasChoices: true, null);
    }

    private StreamChunk End(bool hasChoices, Usage? usage)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        // Each chunk owns its bytes: one upstream event can yield two chunks (finish, then usage).
        return new StreamChunk(_buffer.WrittenSpan.ToArray(), hasChoices, usage);
    }

    private static void WriteToolCall(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WriteStartArray("tool_calls"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        if (id is not null)
        {
            w.WriteString("id"u8, id);
            w.WriteString("type"u8, "function");
        }

        w.WriteStartObject("function"u8);
        if (name is not null)
        {
            w.WriteString("name"u8, name);
        }

        w.WriteString("arguments"u8, arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
