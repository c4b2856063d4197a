using System.Collections.Concurrent;
using System.Diagnostics;
using Synaxis.Host;

namespace Synaxis.Testing;

/// <summary>
/// The standalone gateway as its own OS process (the <c>Synaxis.Host.dll</c> built beside the tests, under
/// <c>dotnet</c>) on 127.0.0.1 with a free port, configured only by the settings given (as environment variables), for
/// tests that need several instances sharing storage, or an instance killed mid-call. Disposing kills it.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _contentRoot;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri baseUrl, string contentRoot)
    {
        _process = process;
        BaseUrl = baseUrl;
        _contentRoot = contentRoot;
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:5124/</c>.</summary>
    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the gateway and waits (at most 60 s) until <c>/health</c> answers.</summary>
    /// <param name="settings">Configuration keys with <c>:</c> (e.g. <c>Synaxis:Models:0:Name</c>); passed as environment variables.</param>
    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var port = LoopbackPort.Free();
        var contentRoot = Directory.CreateTempSubdirectory("synaxis-process-").FullName;
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(GatewayApp).Assembly.Location);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        // An empty content root keeps the host's own appsettings.json (the mock catalog) out of the test.
        start.ArgumentList.Add($"--contentRoot={contentRoot}");
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Synaxis", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), contentRoot);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as when a host is lost.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUrl, "health")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"The gateway did not answer /health within {limit}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500 && _output.TryDequeue(out _))
        {
        }
    }


    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
