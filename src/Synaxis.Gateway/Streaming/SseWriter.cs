using System.Buffers;
using System.IO.Pipelines;

namespace Synaxis.Gateway.Streaming;

/// <summary>
/// Writes server-sent events straight into the response pipe and flushes each one, so an event reaches
/// the client the moment it is written. Awaiting the flush is the backpressure: a slow reader slows us.
/// The non-flushing <see cref="WriteData"/> and <see cref="WriteEvent"/> are for a caller that flushes
/// itself, once for events that arrived together.
/// </summary>
public static class SseWriter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    /// <summary>Writes one <c>data:</c> event; data holding newlines becomes several <c>data:</c> lines, as SSE requires.</summary>
    public static ValueTask<FlushResult> WriteDataAsync(PipeWriter writer, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        WriteData(writer, data);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes one event with an <c>event:</c> name, as Anthropic's streams carry one on every event.</summary>
    public static ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        WriteEvent(writer, eventType, data);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes a comment line, which clients ignore and proxies count as traffic.</summary>
    public static ValueTask<FlushResult> WriteCommentAsync(PipeWriter writer, ReadOnlySpan<byte> comment, CancellationToken cancellationToken)
    {
        writer.Write(": "u8);
        writer.Write(comment);
        writer.Write("\n\n"u8);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the <c>data: [DONE]</c> sentinel that ends a good OpenAI stream.</summary>
    public static ValueTask<FlushResult> WriteDoneAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        WriteDone(writer);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the <c>data: [DONE]</c> sentinel without flushing, for a caller that ends the response with it.</summary>
    internal static void WriteDone(IBufferWriter<byte> writer) => writer.Write(Done);

    /// <summary>Writes one event named by <paramref name="eventType"/> without flushing.</summary>
    internal static void WriteEvent(IBufferWriter<byte> writer, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        writer.Write("event: "u8);
        writer.Write(eventType);
        writer.Write("\n"u8);
        WriteData(writer, data);
    }

    /// <summary>Writes one <c>data:</c> event without flushing.</summary>
    internal static void WriteData(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var lineEnd = data.IndexOfAny((byte)'\r', (byte)'\n');
            writer.Write(DataPrefix);
            if (lineEnd < 0)
            {
                writer.Write(data);
                writer.Write("\n\n"u8);
                return;
            }

            writer.Write(data[..lineEnd]);
            writer.Write("\n"u8);
            var skip = data[lineEnd] == '\r' && lineEnd + 1 < data.Length && data[lineEnd + 1] == '\n' ? 2 : 1;
            data = data[(lineEnd + skip)..];
        }
    }
}
