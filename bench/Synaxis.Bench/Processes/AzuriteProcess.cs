using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Synaxis.Bench.Processes;

/// <summary>
/// Azurite's Table service (from <c>tools/azurite</c>) on a free loopback port with in-memory storage: the billing
/// storage of the metered gateway in <c>--metering</c> runs.
/// </summary>
internal static class AzuriteProcess
{
    // Azurite's published development account key: the emulator's well-known value, not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static string? Unavailable(string directory) =>
        File.Exists(Executable(directory)) ? null : $"Azurite is not installed in {directory}: bench/run.sh --metering installs it with npm ci.";

    public static ChildProcess Start(string directory)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Executable(directory)) { WorkingDirectory = directory };
        foreach (var argument in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        return ChildProcess.Start("azurite", start, new Uri($"http://127.0.0.1:{port}/devstoreaccount1"));
    }

    /// <summary>The connection string the gateway's <c>Synaxis__Billing__ConnectionString</c> takes.</summary>
    public static string ConnectionString(ChildProcess azurite) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint={azurite.BaseUrl};";

    /// <summary>Waits, bounded, until the Table port accepts connections.</summary>
    public static async Task WaitUntilListeningAsync(ChildProcess azurite, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            azurite.ThrowIfExited();
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", azurite.BaseUrl.Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new BenchFailure($"Azurite did not listen within {limit.TotalSeconds:0} s. {azurite.OutputTail()}");
    }

    private static string Executable(string directory) => Path.Combine(directory, "node_modules", ".bin", "azurite-table");
}
