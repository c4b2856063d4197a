using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Http;

/// <summary>
/// The client's side of a stream: starts the <c>text/event-stream</c> response, writes events one at a
/// time, and while nothing has been written for the keep-alive interval sends <c>: keep-alive</c> so
/// that idle-timeout proxies (Azure's load balancer cuts at 230 s) keep the connection open. The
/// keep-alive timer may also start the response, which then commits to status 200.
/// Each event is flushed as it is written, except inside <see cref="HoldFlushes"/>: the relay holds
/// the flush of an event when the next one is already in hand, and flushes once before it waits.
/// </summary>
internal sealed class SseResponse : IAsyncDisposable
{
    /// <summary>The most that held events may add up to before they are flushed anyway.</summary>
    internal const int MaxHeldBytes = 16 * 1024;

    private readonly HttpContext _context;
    private readonly TimeProvider _time;
    private readonly TimeSpan _keepAliveInterval;
    private readonly CancellationToken _aborted;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ITimer _keepAlive;
    private long _lastWrite;
    private bool _closed;
    private bool _holding;
    private long _held;

    public SseResponse(HttpContext context, TimeProvider time, TimeSpan keepAliveInterval, CancellationToken aborted)
    {
        _context = context;
        _time = time;
        _keepAliveInterval = keepAliveInterval;
        _aborted = aborted;
        _lastWrite = time.GetTimestamp();
        // Checking four times per interval bounds a silence at 1.25 intervals without a timer change per event.
        var tick = keepAliveInterval / 4;
        _keepAlive = time.CreateTimer(static state => ((SseResponse)state!).OnKeepAliveTick(), this, tick, tick);
    }

    /// <summary>True once the status line and headers have gone to the client.</summary>
    public bool HasStarted => _context.Response.HasStarted;

    private PipeWriter Writer => _context.Response.BodyWriter;

    public ValueTask WriteDataAsync(ReadOnlyMemory<byte> json) => WriteEventAsync(null, json);

    /// <summary>Writes one event, named by <paramref name="eventType"/> (<c>event:</c>) unless it is null.</summary>
    public ValueTask WriteEventAsync(byte[]? eventType, ReadOnlyMemory<byte> json) => WriteEventAsync(eventType, json, hold: _holding);

    /// <summary>Ends a failed stream with <c>data: {"error":…}</c> and no <c>[DONE]</c>, so no client takes it for complete.</summary>
    public ValueTask WriteErrorAsync(ApiError error) => WriteEventAsync(null, error.ToUtf8Json(), hold: false);

    /// <summary>
    /// Until the scope is disposed, events are written without a flush of their own (up to <see cref="MaxHeldBytes"/>):
    /// for events that arrived together, which <see cref="FlushAsync"/> then sends in one write.
    /// </summary>
    public HeldFlushes HoldFlushes()
    {
        _holding = true;
        return new HeldFlushes(this);
    }

    /// <summary>Sends the events written without a flush, if any.</summary>
    public async ValueTask FlushAsync()
    {
        if (Volatile.Read(ref _held) == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(_aborted).ConfigureAwait(false);
        try
        {
            if (_held != 0)
            {
                _held = 0;
                await Writer.FlushAsync(_aborted).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteEventAsync(byte[]? eventType, ReadOnlyMemory<byte> json, bool hold)
    {
        await _writeLock.WaitAsync(_aborted).ConfigureAwait(false);
        try
        {
            // Every event but the first finds the response started; only the first needs the (async) start.
            if (!HasStarted)
            {
                await StartCoreAsync().ConfigureAwait(false);
            }

            if (eventType is null)
            {
                SseWriter.WriteData(Writer, json.Span);
            }
            else
            {
                SseWriter.WriteEvent(Writer, eventType, json.Span);
            }

            _lastWrite = _time.GetTimestamp();
            _held += json.Length;
            if (!hold || _held >= MaxHeldBytes)
            {
                _held = 0;
                await Writer.FlushAsync(_aborted).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends a good stream: <c>data: [DONE]</c> and the end of the response go out in one write, so the client
    /// sees its stream end now, not once the request's remaining work (logging, metering) is done.
    /// </summary>
    public async ValueTask WriteDoneAsync()
    {
        await _writeLock.WaitAsync(_aborted).ConfigureAwait(false);
        try
        {
            await StartCoreAsync().ConfigureAwait(false);
            SseWriter.WriteDone(Writer);
            _closed = true; // no keep-alive after the end
            await _context.Response.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends the status line and headers now (when the call is committed to a deployment), naming that
    /// deployment unless a keep-alive has already started the response.
    /// </summary>
    public async ValueTask StartAsync(string deployment)
    {
        await _writeLock.WaitAsync(_aborted).ConfigureAwait(false);
        try
        {
            if (!_context.Response.HasStarted)
            {
                _context.Response.Headers[DeploymentHeader.Name] = deployment;
            }

            await StartCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask StartCoreAsync()
    {
        var response = _context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentEncoding = "identity";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and some ingress controllers buffer without it
        _context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(_aborted).ConfigureAwait(false);
        // StartAsync only queues the headers; the flush puts them on the wire now, not with the first event.
        await response.BodyWriter.FlushAsync(_aborted).ConfigureAwait(false);
    }

    private async void OnKeepAliveTick()
    {
        // Never wait for the lock: whoever holds it is writing, and that is traffic too.
        if (!_writeLock.Wait(0))
        {
            return;
        }

        try
        {
            if (!_closed && !_aborted.IsCancellationRequested && _time.GetElapsedTime(_lastWrite) >= _keepAliveInterval)
            {
                await StartCoreAsync().ConfigureAwait(false);
                _held = 0; // the comment's flush sends them too
                await SseWriter.WriteCommentAsync(Writer, "keep-alive"u8, _aborted).ConfigureAwait(false);
                _lastWrite = _time.GetTimestamp();
            }
        }
#pragma warning disable CA1031 // an exception escaping an async void timer callback would end the process
        catch (Exception)
#pragma warning restore CA1031
        {
            // The client is gone or the response is over; the request path notices through its own token.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal void EndHolding() => _holding = false;

    public async ValueTask DisposeAsync()
    {
        await _keepAlive.DisposeAsync().ConfigureAwait(false);
        // Wait out a keep-alive that is mid-write, then make sure none starts after the response ends.
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        _closed = true;
        _writeLock.Release();
    }
}

/// <summary>The scope of <see cref="SseResponse.HoldFlushes"/>: events written in it wait for the next flush.</summary>
internal readonly struct HeldFlushes(SseResponse response) : IDisposable
{
    public void Dispose() => response.EndHolding();
}
