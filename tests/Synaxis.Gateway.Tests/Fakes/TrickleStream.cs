namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>
/// A read-only stream over fixed bytes that hands out at most a few bytes per read: one byte by default,
/// or a random count (seeded, so a failure can be replayed). It splits events, lines and UTF-8 characters
/// at every place a real network can.
/// </summary>
internal sealed class TrickleStream : Stream
{
    private readonly byte[] _bytes;
    private readonly Func<int> _nextReadSize;
    private int _position;

    private TrickleStream(byte[] bytes, Func<int> nextReadSize)
    {
        _bytes = bytes;
        _nextReadSize = nextReadSize;
    }

    public bool IsDisposed { get; private set; }

    /// <summary>One byte per read.</summary>
    public static TrickleStream OneByte(byte[] bytes) => new(bytes, () => 1);

    /// <summary>Between 1 and <paramref name="maxRead"/> bytes per read.</summary>
    public static TrickleStream RandomSizes(byte[] bytes, int seed, int maxRead = 97)
    {
        var random = new Random(seed);
        return new TrickleStream(bytes, () => random.Next(1, maxRead + 1));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var count = Math.Min(Math.Min(buffer.Length, _nextReadSize()), _bytes.Length - _position);
        _bytes.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
