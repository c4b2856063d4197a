using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synaxis.Testing;

/// <summary>
/// Azurite's Table service (Microsoft's storage emulator, from <c>tools/azurite</c>, which <c>test.sh</c> installs) as a
/// child process on 127.0.0.1 with a free port and in-memory storage. One instance serves many tests: each test takes
/// its own table prefix from <see cref="NewTablePrefix"/>, so tests never see each other's rows. Disposing stops the process.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account; it is the emulator's well-known key, not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<Azurite>> s_shared = new(StartSharedAsync);
    private static int s_prefixes;
    private readonly Process _process;
    private readonly StringBuilder _output;

    private Azurite(Process process, int port, StringBuilder output)
    {
        _process = process;
        _output = output;
        TableEndpoint = new Uri($"http://127.0.0.1:{port}/{AccountName}");
        ConnectionString = ConnectionStringFor(port);
    }

    /// <summary>The folder holding Azurite's <c>package.json</c> and <c>node_modules</c>.</summary>
    public static string Directory { get; } = Path.Combine(Fixtures.RepositoryRoot, "tools", "azurite");

    /// <summary>The Table endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>A connection string for <c>Synaxis:Billing:ConnectionString</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The process id, for tests that stop it on purpose.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What Azurite printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The connection string of Azurite's development account on <paramref name="port"/> of 127.0.0.1 (listening or not).</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{AccountName};";

    /// <summary>A table-name prefix no other test of this run uses (letters and digits, as table names require).</summary>
    public static string NewTablePrefix() => $"t{Environment.ProcessId}x{Interlocked.Increment(ref s_prefixes)}x";

    /// <summary>
    /// One Azurite for the whole test process, started on first use and stopped when the process exits; tests keep
    /// apart through <see cref="NewTablePrefix"/>. Tests that stop Azurite on purpose start their own instead.
    /// </summary>
    public static Task<Azurite> SharedAsync() => s_shared.Value;

    /// <summary>Starts Azurite and waits until its Table endpoint accepts connections (at most 30 s).</summary>
    public static async Task<Azurite> StartAsync()
    {
        var executable = Path.Combine(Directory, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed: run 'npm ci' in {Directory} (test.sh does).");
        }

        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new Azurite(process, port, output);
        try
        {
            await azurite.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Azurite> StartSharedAsync()
    {
        var azurite = await StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilListeningAsync(int port, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"Azurite did not listen on {port} within {limit}: {Output}");
    }


    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
