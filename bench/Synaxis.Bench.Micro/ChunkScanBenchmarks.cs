using BenchmarkDotNet.Attributes;
using Synaxis.Gateway.Providers.OpenAICompatible;

namespace Synaxis.Bench.Micro;

/// <summary>
/// The OpenAI-to-OpenAI "translation" of one upstream event: copy it into the reused buffer and scan it
/// for usage, errors and finish reasons, without building objects. A content chunk is what nearly every
/// event of a stream is; the usage chunk is the one that must be read into an object.
/// </summary>
[MemoryDiagnoser]
public class ChunkScanBenchmarks
{
    private readonly OpenAIChunkParser _parser = new();
    private byte[] _content = [];
    private byte[] _finish = [];
    private byte[] _usage = [];

    [GlobalSetup]
    public void Setup()
    {
        var events = Recorded.Events(Recorded.TextStream);
        _content = events[1];
        _finish = events[^3];
        _usage = events[^2];
    }

    [GlobalCleanup]
    public void Cleanup() => _parser.Dispose();

    [Benchmark(Baseline = true)]
    public int ContentChunk() => (int)_parser.Parse("message", _content).Kind;

    [Benchmark]
    public int FinishChunk() => (int)_parser.Parse("message", _finish).Kind;

    [Benchmark]
    public int UsageChunk() => (int)_parser.Parse("message", _usage).Kind;
}
