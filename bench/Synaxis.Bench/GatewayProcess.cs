using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Synaxis.Bench;

/// <summary>
/// The gateway under test: the Release build of Synaxis.Host in its own process, on a free loopback
/// port, configured through environment variables with one model served by the fake upstream. Its
/// own process so that its CPU and memory can be read apart from the load generator's, and so that
/// it runs exactly as it ships (its runtimeconfig, server GC, tiered PGO).
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    public const string ModelName = "bench-model";

    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly string _contentRoot;
    private readonly ConcurrentQueue<string> _output = new();
    private long _outputLines;

    private GatewayProcess(Process process, Uri baseUrl, string contentRoot)
    {
        _process = process;
        BaseUrl = baseUrl;
        _contentRoot = contentRoot;
    }

    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    /// <summary>Lines the gateway wrote to stdout or stderr; at log level Warning a healthy run writes none.</summary>
    public long OutputLines => Interlocked.Read(ref _outputLines);

    public IEnumerable<string> RecentOutput => _output;

    /// <summary>Starts the gateway and waits (bounded) until <c>/health</c> answers; <paramref name="extraEnvironment"/> is for experiments.</summary>
    public static async Task<GatewayProcess> StartAsync(
        string hostDll, Uri upstreamBaseUrl, IReadOnlyDictionary<string, string> extraEnvironment, HttpClient client, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        // An empty content root keeps the host's own appsettings.json (its mock catalog) out of the run.
        var contentRoot = Directory.CreateTempSubdirectory("synaxis-bench-").FullName;
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { hostDll, $"--urls=http://127.0.0.1:{port}", $"--contentRoot={contentRoot}" },
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Synaxis", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["Synaxis__Models__0__Name"] = ModelName;
        start.Environment["Synaxis__Models__0__Provider"] = "openai";
        start.Environment["Synaxis__Models__0__BaseUrl"] = upstreamBaseUrl.ToString();
        start.Environment["Synaxis__Models__0__ApiKeySecret"] = "BENCH_KEY";
        start.Environment["BENCH_KEY"] = "sk-bench";
        start.Environment["Synaxis__ApiKeys__0"] = StreamProbe.ClientKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in extraEnvironment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new BenchFailure($"Could not start {start.FileName} {hostDll}.");
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), contentRoot);
        process.OutputDataReceived += (_, line) => gateway.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => gateway.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A bench that ends without unwinding (an unhandled exception, Environment.Exit) must not leave the gateway behind.
        AppDomain.CurrentDomain.ProcessExit += gateway.KillOnExit;
        try
        {
            await gateway.WaitUntilHealthyAsync(client, TimeSpan.FromSeconds(30), cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fails with the gateway's last output when the process has died (a crash mid-run reads as a clear message).</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new BenchFailure($"The gateway process exited with code {_process.ExitCode}. {OutputTail()}");
        }
    }

    private async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan limit, CancellationToken cancellationToken)
    {
        var health = new Uri(BaseUrl, "health");
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ThrowIfExited();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await client.GetAsync(health, attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new BenchFailure($"The gateway did not answer {health} within {limit.TotalSeconds:0} s. {OutputTail()}");
    }

    private string OutputTail() => _output.IsEmpty
        ? "It wrote nothing to stdout or stderr."
        : $"Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _outputLines);
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Under `dotnet run` or `dotnet Synaxis.Bench.dll` the bench already runs in a dotnet host; start the gateway with the same one.
    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private void KillOnExit(object? sender, EventArgs e)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_contentRoot, recursive: true);
            }
            catch (IOException)
            {
                // A leftover empty temp folder is harmless.
            }
        }
    }
}
