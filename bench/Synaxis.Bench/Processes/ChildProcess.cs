using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Synaxis.Bench.Processes;

/// <summary>
/// A server the bench runs as its own process (the fake upstream, a gateway), so that its CPU and
/// memory can be read from <c>/proc</c> apart from the load generator's. It keeps the last lines the
/// process wrote, for error messages, and is killed on every way out of the bench.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly Action? _cleanup;
    private readonly ConcurrentQueue<string> _output = new();
    private long _outputLines;

    private ChildProcess(string name, Process process, Uri baseUrl, long startTimestamp, Action? cleanup)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
        StartTimestamp = startTimestamp;
        _cleanup = cleanup;
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartTimestamp { get; }

    /// <summary>Lines written to stdout or stderr; a healthy gateway at log level Warning writes none while serving.</summary>
    public long OutputLines => Interlocked.Read(ref _outputLines);

    public IEnumerable<string> RecentOutput => _output;

    /// <summary>Starts the process; <paramref name="cleanup"/> runs once it has been stopped (e.g. deleting a temp folder).</summary>
    public static ChildProcess Start(string name, ProcessStartInfo start, Uri baseUrl, Action? cleanup = null)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var startTimestamp = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new BenchFailure($"Could not start {name}: {start.FileName}.");
        var child = new ChildProcess(name, process, baseUrl, startTimestamp, cleanup);
        process.OutputDataReceived += (_, line) => child.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => child.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A bench that ends without unwinding (an unhandled exception, Environment.Exit) must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += child.KillOnExit;
        return child;
    }

    /// <summary>Fails with the process's last output when it has died, so a crash mid-run reads as a clear message.</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new BenchFailure($"{Name} exited with code {_process.ExitCode}. {OutputTail()}");
        }
    }

    /// <summary>Waits, bounded, until <c>GET</c> <paramref name="path"/> answers 200.</summary>
    public async Task WaitUntilAnswersAsync(HttpClient client, string path, TimeSpan limit, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, path);
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ThrowIfExited();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await client.GetAsync(url, attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new BenchFailure($"{Name} did not answer {url} within {limit.TotalSeconds:0} s. {OutputTail()}");
    }

    public string OutputTail() => _output.IsEmpty
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
            _cleanup?.Invoke();
        }
    }
}
