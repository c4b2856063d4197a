using System.Globalization;
using System.Runtime.InteropServices;
using Synaxis.Bench;
using Synaxis.Bench.Upstream;

// `Synaxis.Bench upstream --port N` is the fake upstream's own process, started by the bench itself.
if (args is ["upstream", "--port", var portText])
{
    await UpstreamServer.RunAsync(int.Parse(portText, CultureInfo.InvariantCulture), CancellationToken.None);
    return 0;
}

var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

// Ctrl+C and SIGTERM unwind the run instead of ending the process, so every child process is killed on the way out.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    return await BenchRun.RunAsync(options, Console.Out, stop.Token);
}
catch (BenchFailure failure)
{
    Console.Error.WriteLine($"BENCH FAILED: {failure.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted.");
    return 130;
}
