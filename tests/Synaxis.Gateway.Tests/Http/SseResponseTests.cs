using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Http;

namespace Synaxis.Gateway.Tests.Http;

/// <summary>The client's side of a stream: how events, the end and keep-alives reach the response.</summary>
public sealed class SseResponseTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingBody _body = new();
    private readonly DefaultHttpContext _context = new();

    public SseResponseTests()
    {
        _context.Features.Set<IHttpResponseFeature>(_body);
        _context.Features.Set<IHttpResponseBodyFeature>(_body);
    }

    [Fact]
    public async Task Done_EndsTheResponseInTheSameWrite()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);

        await response.WriteDataAsync("{\"a\":1}"u8.ToArray());
        await response.WriteDoneAsync();

        // The client sees its stream end at [DONE], not once the handler has finished whatever follows the relay.
        Assert.True(_body.Completed);
        Assert.Equal("data: {\"a\":1}\n\ndata: [DONE]\n\n", _body.Text);
    }

    [Fact]
    public async Task Done_StopsKeepAlives()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);
        await response.WriteDoneAsync();

        _time.Advance(KeepAlive * 3);

        Assert.DoesNotContain("keep-alive", _body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_BeforeDone_SendsKeepAlive()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);
        await response.WriteDataAsync("{}"u8.ToArray());

        _time.Advance(KeepAlive * 1.25);

        Assert.EndsWith(": keep-alive\n\n", _body.Text, StringComparison.Ordinal);
        Assert.False(_body.Completed);
    }

    [Fact]
    public async Task HeldEvents_WaitForTheFlush_ThenGoOutTogether()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);
        await response.WriteDataAsync("{\"n\":1}"u8.ToArray());

        using (response.HoldFlushes())
        {
            await response.WriteDataAsync("{\"n\":2}"u8.ToArray());
            await response.WriteEventAsync("ping"u8.ToArray(), "{\"n\":3}"u8.ToArray());
        }

        Assert.Equal("data: {\"n\":1}\n\n", _body.Text);
        await response.FlushAsync();
        Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\nevent: ping\ndata: {\"n\":3}\n\n", _body.Text);
    }

    [Fact]
    public async Task OutsideAHold_EveryEventIsFlushed_AndAnErrorIsFlushedEvenInOne()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);
        using (response.HoldFlushes())
        {
            await response.WriteDataAsync("{\"n\":1}"u8.ToArray());
        }

        await response.WriteDataAsync("{\"n\":2}"u8.ToArray());
        Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n", _body.Text);

        using (response.HoldFlushes())
        {
            await response.WriteErrorAsync(new Synaxis.Gateway.Protocol.ApiError(502, "upstream broke", "upstream_error", null, null));
        }

        Assert.Contains("upstream broke", _body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeldEvents_AreFlushedAnyway_OnceTheyReachTheBound()
    {
        await using var response = new SseResponse(_context, _time, KeepAlive, CancellationToken.None);
        var big = Encoding.UTF8.GetBytes("{\"t\":\"" + new string('x', 1000) + "\"}");
        var events = SseResponse.MaxHeldBytes / big.Length + 1;

        using (response.HoldFlushes())
        {
            for (var i = 0; i < events; i++)
            {
                await response.WriteDataAsync(big);
            }
        }

        Assert.True(_body.Text.Length >= SseResponse.MaxHeldBytes, "a long burst is not held back whole");
    }

    /// <summary>A response body over an in-memory pipe that records whether the response was started and completed.</summary>
    private sealed class RecordingBody : HttpResponseFeature, IHttpResponseBodyFeature
    {
        private readonly MemoryStream _written = new();

        public RecordingBody() => Writer = PipeWriter.Create(_written, new StreamPipeWriterOptions(leaveOpen: true));

        public bool Started { get; private set; }

        public bool Completed { get; private set; }

        public string Text => Encoding.UTF8.GetString(_written.ToArray());

        public override bool HasStarted => Started;

        public Stream Stream => _written;

        public PipeWriter Writer { get; }

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public async Task CompleteAsync()
        {
            Started = true;
            await Writer.FlushAsync();
            Completed = true;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
