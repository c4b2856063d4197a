using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Synaxis.Bench.Upstream;

namespace Synaxis.Bench.Processes;

/// <summary>The fake upstream's process, seen from the bench: start it, script it, read its ledger.</summary>
internal sealed class UpstreamProcess(ChildProcess process, HttpClient control) : IAsyncDisposable
{
    public ChildProcess Process { get; } = process;

    /// <summary>The API root every target forwards to, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public Uri ApiBase => new(Process.BaseUrl, "v1");

    public static async Task<UpstreamProcess> StartAsync(HttpClient control, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(FreePort.DotnetExecutable())
        {
            ArgumentList = { typeof(UpstreamProcess).Assembly.Location, "upstream", "--port", port.ToString(CultureInfo.InvariantCulture) },
        };
        var process = ChildProcess.Start("the fake upstream", start, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await process.WaitUntilAnswersAsync(control, "health", TimeSpan.FromSeconds(30), cancellationToken);
            return new UpstreamProcess(process, control);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task ScriptAsync(int chunks, TimeSpan firstDelay, TimeSpan betweenDelay, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"bench/script?chunks={chunks}&first={(int)firstDelay.TotalMilliseconds}&between={(int)betweenDelay.TotalMilliseconds}");
        using var response = await control.PostAsync(new Uri(Process.BaseUrl, query), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetLedgerAsync(CancellationToken cancellationToken)
    {
        using var response = await control.DeleteAsync(new Uri(Process.BaseUrl, "bench/ledger"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<LedgerReport> ReadLedgerAsync(CancellationToken cancellationToken) =>
        await control.GetFromJsonAsync(new Uri(Process.BaseUrl, "bench/ledger"), UpstreamJsonContext.Default.LedgerReport, cancellationToken)
        ?? throw new BenchFailure("The fake upstream answered an empty ledger.");

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until the upstream serves no request: every stream of
    /// the round either ran to its end or was hung up on. Returns the ledger as it then stands.
    /// </summary>
    public async Task<LedgerReport> SettleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var ledger = await ReadLedgerAsync(cancellationToken);
            if (ledger.Active == 0 || Stopwatch.GetTimestamp() > deadline)
            {
                return ledger;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
