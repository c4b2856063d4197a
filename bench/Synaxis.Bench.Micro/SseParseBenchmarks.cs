using System.Net.ServerSentEvents;
using BenchmarkDotNet.Attributes;
using Synaxis.Gateway.Providers.OpenAICompatible;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Reading an upstream stream: the framework's <see cref="SseParser"/> splitting events, with the
/// gateway's <c>OpenAIChunkParser</c> copying and scanning each one. Each benchmark parses a whole
/// recorded stream and reads per event (time and allocations divided by the stream's events).
/// </summary>
[MemoryDiagnoser]
public class SseParseBenchmarks
{
    private const int TextEvents = 14;
    private const int ToolCallEvents = 26;

    private byte[] _text = [];
    private byte[] _toolCalls = [];

    [GlobalSetup]
    public void Setup()
    {
        _text = Load(Recorded.TextStream, TextEvents);
        _toolCalls = Load(Recorded.ToolCallStream, ToolCallEvents);
    }

    [Benchmark(OperationsPerInvoke = TextEvents)]
    public int TextStream() => ParseAndScan(_text);

    [Benchmark(OperationsPerInvoke = ToolCallEvents)]
    public int ToolCallStream() => ParseAndScan(_toolCalls);

    private static int ParseAndScan(byte[] stream)
    {
        using var parser = new OpenAIChunkParser();
        var chunks = 0;
        foreach (var item in SseParser.Create(new MemoryStream(stream, writable: false), parser.Parse).Enumerate())
        {
            chunks += item.Data.Kind == ParsedEventKind.Chunk ? 1 : 0;
        }

        return chunks;
    }

    private static byte[] Load(string fixture, int events) => Recorded.Events(fixture).Count == events
        ? Recorded.Bytes(fixture)
        : throw new InvalidOperationException($"{fixture} no longer has {events} events; update the benchmark's divisor.");
}
