using System.Runtime.CompilerServices;

namespace Synaxis.Gateway.Streaming;

/// <summary>
/// A read-only view of an upstream body that fails once a single line grows past a limit. An SSE parser
/// must hold a line until its end arrives, so an upstream that never sends a line break would otherwise
/// grow the gateway's memory without bound.
/// </summary>
public sealed class LineLimitedStream(Stream inner, int maxLineBytes) : Stream
{
    private long _lineLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Every upstream read waits for the next event, so it completes asynchronously; a pooled state machine
    // keeps that from allocating once per relayed event.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, read));
        return read;
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        var lastBreak = bytes.LastIndexOfAny((byte)'\n', (byte)'\r');
        _lineLength = lastBreak < 0 ? _lineLength + bytes.Length : bytes.Length - lastBreak - 1;
        if (_lineLength > maxLineBytes)
        {
            throw new IOException($"The upstream sent a line longer than {maxLineBytes} bytes.");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
