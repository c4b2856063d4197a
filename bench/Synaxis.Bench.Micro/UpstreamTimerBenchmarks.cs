using BenchmarkDotNet.Attributes;
using Synaxis.Gateway.Http;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Per relayed event the relay re-arms the idle timeout before waiting for the upstream and disarms it
/// before writing to the client: two timer changes, which must cost little and allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class UpstreamTimerBenchmarks
{
    private readonly UpstreamTimer _timer = new(TimeProvider.System, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => _timer.Dispose();

    [Benchmark]
    public bool ArmAndDisarm()
    {
        _timer.Arm(TimeSpan.FromSeconds(60));
        _timer.Disarm();
        return _timer.TimedOut;
    }
}
