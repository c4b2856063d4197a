using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Writing one event to the client: the SSE framing alone (<see cref="SseWriter"/> into a buffer), and
/// the whole per-event path of a relayed stream (<c>SseResponse.WriteDataAsync</c>: the write lock, the
/// framing, the flush) on a response whose body goes nowhere.
/// </summary>
[MemoryDiagnoser]
public class SseWriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private byte[] _event = [];
    private SseResponse? _response;

    [GlobalSetup]
    public async Task Setup()
    {
        _event = Recorded.Events(Recorded.TextStream)[1];
        var context = new DefaultHttpContext();
        var body = new StreamResponseBodyFeature(Stream.Null);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        _response = new SseResponse(context, TimeProvider.System, TimeSpan.FromSeconds(15), CancellationToken.None);
        await _response.StartAsync("bench-deployment");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_response is not null)
        {
            await _response.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public int Framing()
    {
        _buffer.ResetWrittenCount();
        SseWriter.WriteData(_buffer, _event);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public ValueTask WriteAndFlush() => _response!.WriteDataAsync(_event);

    /// <summary>A response that reports itself started, as a real one does after its headers went out.</summary>
    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
