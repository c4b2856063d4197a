using System.Threading.Tasks.Sources;

namespace Synaxis.Bench.Micro;

/// <summary>
/// An upstream body that hands out one recorded event per read and completes every read asynchronously,
/// on the thread pool, the way a socket read does when the next event has not arrived yet. Without that,
/// every await on the relay path would complete synchronously and hide what the real path allocates.
/// Allocates nothing per read itself, so what a benchmark reports is the gateway's.
/// </summary>
internal sealed class AsyncEventStream : Stream, IValueTaskSource<int>, IThreadPoolWorkItem
{
    private readonly byte[][] _events;
    private ManualResetValueTaskSourceCore<int> _read = new() { RunContinuationsAsynchronously = false };
    private int _next;
    private int _offset;
    private Memory<byte> _destination;

    public AsyncEventStream(byte[][] events) => _events = events;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Starts the body again from its first event, for the next stream.</summary>
    public void Rewind() => (_next, _offset) = (0, 0);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _destination = buffer;
        _read.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return new ValueTask<int>(this, _read.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_next == _events.Length)
        {
            _read.SetResult(0);
            return;
        }

        // The rest of the current event, or as much of it as the reader has room for (a socket splits reads the same way).
        var rest = _events[_next].AsSpan(_offset);
        var length = Math.Min(rest.Length, _destination.Length);
        rest[..length].CopyTo(_destination.Span);
        _offset += length;
        if (_offset == _events[_next].Length)
        {
            (_next, _offset) = (_next + 1, 0);
        }

        _read.SetResult(length);
    }

    public int GetResult(short token) => _read.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _read.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // The body is reused stream after stream; the provider's dispose must not end it.
    protected override void Dispose(bool disposing)
    {
    }
}
