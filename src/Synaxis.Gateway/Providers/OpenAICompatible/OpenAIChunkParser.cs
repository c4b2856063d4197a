using System.Buffers;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// The <see cref="System.Net.ServerSentEvents.SseItemParser{T}"/> for OpenAI-format streams. Each event's
/// data is copied once into a reusable buffer (it is relayed as is) and scanned, without building
/// objects, for what the gateway must know: the end sentinel, usage, an in-band error, finish reasons,
/// and how much text the answer holds (to estimate usage when the upstream never reports it).
/// </summary>
internal sealed class OpenAIChunkParser : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>True once any choice has carried a <c>finish_reason</c>.</summary>
    public bool SawFinishReason { get; private set; }

    /// <summary>Characters of answer text (content, reasoning, tool names and arguments) seen so far.</summary>
    public long CompletionCharacters { get; private set; }

    /// <summary>The first non-empty <c>id</c>, <c>model</c> and <c>created</c> of the stream, for a chunk the gateway adds.</summary>
    public string? Id { get; private set; }

    public string? Model { get; private set; }

    public long Created { get; private set; }

    public ParsedEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return new ParsedEvent(ParsedEventKind.Done, default);
        }

        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new ParsedEvent(ParsedEventKind.Ignored, default);
        }

        if (data.Length > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        }

        data.CopyTo(_buffer);
        var json = new ReadOnlyMemory<byte>(_buffer, 0, data.Length);
        try
        {
            return Scan(json, isErrorEvent: eventType == "error");
        }
        catch (JsonException)
        {
            var failure = new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream sent a stream event that is not valid JSON.");
            return new ParsedEvent(ParsedEventKind.Chunk, StreamChunk.Failed(failure));
        }
    }

    private ParsedEvent Scan(ReadOnlyMemory<byte> json, bool isErrorEvent)
    {
        var reader = new Utf8JsonReader(json.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A chunk must be a JSON object.");
        }

        Usage? usage = null;
        UpstreamFailure? failure = null;
        var choices = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                choices = reader.TokenType == JsonTokenType.StartArray ? ScanChoices(ref reader) : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = reader.TokenType == JsonTokenType.StartObject
                    ? JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.Usage)
                    : SkipAndReturnNull(ref reader);
            }
            else if (Id is null && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                Id = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
                reader.Skip();
            }
            else if (Model is null && reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                Model = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
                reader.Skip();
            }
            else if (Created == 0 && reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                Created = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var created) ? created : 0;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    using var error = JsonDocument.ParseValue(ref reader);
                    failure = OpenAIErrorReader.FromStreamError(error.RootElement);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Reaching the end proves the whole object was well formed, not just its first properties.
        while (reader.Read())
        {
        }

        if (failure is null && isErrorEvent)
        {
            failure = new UpstreamFailure(UpstreamFailureKind.StreamError, "The upstream reported an error in the stream.");
        }

        var chunk = failure is null ? new StreamChunk(json, choices > 0, usage) : StreamChunk.Failed(failure, usage);
        return new ParsedEvent(ParsedEventKind.Chunk, chunk);
    }

    private int ScanChoices(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            count++;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFinishReason = reader.ValueTextEquals("finish_reason"u8);
                var isDelta = reader.ValueTextEquals("delta"u8);
                reader.Read();
                if (isFinishReason && reader.TokenType == JsonTokenType.String)
                {
                    SawFinishReason = true;
                }

                if (isDelta && reader.TokenType == JsonTokenType.StartObject)
                {
                    CompletionCharacters += CountText(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return count;
    }

    /// <summary>
    /// Sums the lengths of a delta's strings except its labels (<c>role</c>, <c>type</c>, <c>id</c>): that covers
    /// content, refusals, every vendor's reasoning field, and tool names and arguments, whatever their nesting.
    /// </summary>
    private static long CountText(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        long characters = 0;
        var isLabel = false;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                isLabel = reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("id"u8);
            }
            else if (reader.TokenType == JsonTokenType.String && !isLabel)
            {
                characters += reader.ValueSpan.Length;
            }
        }

        return characters;
    }

    private static int SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return 0;
    }

    private static Usage? SkipAndReturnNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

internal enum ParsedEventKind
{
    Chunk,
    Done,
    Ignored,
}

internal readonly record struct ParsedEvent(ParsedEventKind Kind, StreamChunk Chunk);
