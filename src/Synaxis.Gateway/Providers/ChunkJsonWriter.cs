using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// Writes OpenAI <c>chat.completion.chunk</c> JSON for providers that translate a foreign stream, straight
/// into one reused buffer: no object graph per event. A chunk is valid until the next one is begun, the
/// same contract as <see cref="StreamChunk.Json"/>.
/// </summary>
internal sealed class ChunkJsonWriter(string id, long created, string model) : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer = new(Stream.Null, Options);
    private string _id = id;
    private string _model = model;

    /// <summary>Takes the id and model an upstream announces once its stream has begun; empty values keep the current ones.</summary>
    public void Identify(string? id, string? model)
    {
        _id = string.IsNullOrEmpty(id) ? _id : id;
        _model = string.IsNullOrEmpty(model) ? _model : model;
    }

    /// <summary>Starts a chunk with its identity and opens <c>choices</c>.</summary>
    public void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("id"u8, _id);
        _writer.WriteString("object"u8, "chat.completion.chunk"u8);
        _writer.WriteNumber("created"u8, created);
        _writer.WriteString("model"u8, _model);
        _writer.WriteStartArray("choices"u8);
    }

    /// <summary>Adds one choice; only what is given appears in its delta.</summary>
    public void Choice(int index, bool role, string? content, string? reasoning, IReadOnlyList<ToolCallDelta>? toolCalls, string? finishReason)
    {
        _writer.WriteStartObject();
        _writer.WriteNumber("index"u8, index);
        _writer.WriteStartObject("delta"u8);
        if (role)
        {
            _writer.WriteString("role"u8, "assistant"u8);
        }

        if (content is not null)
        {
            _writer.WriteString("content"u8, content);
        }

        // DeepSeek's field name, which the clients that show reasoning read.
        if (reasoning is not null)
        {
            _writer.WriteString("reasoning_content"u8, reasoning);
        }

        if (toolCalls is { Count: > 0 })
        {
            _writer.WriteStartArray("tool_calls"u8);
            foreach (var call in toolCalls)
            {
                _writer.WriteStartObject();
                _writer.WriteNumber("index"u8, call.Index);
                // OpenAI sends a call's id, type and name in its first delta only; later ones carry arguments.
                if (call.Id is not null)
                {
                    _writer.WriteString("id"u8, call.Id);
                    _writer.WriteString("type"u8, "function"u8);
                }

                _writer.WriteStartObject("function"u8);
                if (call.Name is not null)
                {
                    _writer.WriteString("name"u8, call.Name);
                }

                _writer.WriteString("arguments"u8, call.Arguments);
                _writer.WriteEndObject();
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
        }

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
    }

    /// <summary>A whole chunk of one choice (index 0), for upstreams that stream a single answer.</summary>
    public StreamChunk Single(bool role = false, string? content = null, string? reasoning = null, ToolCallDelta? toolCall = null, string? finishReason = null)
    {
        Begin();
        Choice(0, role, content, reasoning, toolCall is { } call ? [call] : null, finishReason);
        return End();
    }

    /// <summary>Closes the chunk begun by <see cref="Begin"/>.</summary>
    public StreamChunk End()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        return new StreamChunk(_buffer.WrittenMemory, hasChoices: true, usage: null);
    }

    /// <summary>The usage-only chunk that ends a stream: <c>"choices":[]</c> and the counts.</summary>
    public StreamChunk Usage(Usage usage)
    {
        Begin();
        _writer.WriteEndArray();
        _writer.WritePropertyName("usage"u8);
        JsonSerializer.Serialize(_writer, usage, GatewayJsonContext.Wire.Usage);
        _writer.WriteEndObject();
        _writer.Flush();
        return new StreamChunk(_buffer.WrittenMemory, hasChoices: false, usage);
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>One tool call's part of a delta: the first carries its id and name, later ones only more arguments.</summary>
internal readonly record struct ToolCallDelta(int Index, string? Id, string? Name, string Arguments);
