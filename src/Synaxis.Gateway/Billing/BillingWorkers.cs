using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Billing.Reconciliation;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing;

/// <summary>
/// Billing's background work, when billing storage is configured: the settled-record writer, the lease keeper (flush
/// spending into balances, renew leases, give back idle ones) and reconciliation of dead instances. Stopping runs in the
/// order that loses nothing: settled records are written first, then spending is flushed and the leases given back.
/// </summary>
internal sealed partial class BillingWorkers(IServiceProvider services, IOptions<GatewayOptions> options, TimeProvider time, ILogger<BillingWorkers> logger) : IHostedService
{
    private readonly BillingOptions _options = options.Value.Billing;
    private readonly CancellationTokenSource _stopping = new();
    private UsageWriter? _writer;
    private InstanceLeases? _leases;
    private Task _keeper = Task.CompletedTask;
    private Task _reconciler = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured)
        {
            return;
        }

        _writer = services.GetRequiredService<UsageWriter>();
        _leases = services.GetRequiredService<InstanceLeases>();
        var reconciler = services.GetRequiredService<Reconciler>();
        await _writer.StartAsync(cancellationToken).ConfigureAwait(false);
        _keeper = RepeatAsync(_options.FlushInterval, token => _leases.FlushAsync(releaseAll: false, token), _stopping.Token);
        _reconciler = RepeatAsync(_options.ReconcileInterval, reconciler.RunOnceAsync, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is null || _leases is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writer.StopAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_keeper, _reconciler).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _leases.FlushAsync(releaseAll: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RequestFailedException or OperationCanceledException)
        {
            LogFailed("final flush", exception.Message);
        }
    }

    private async Task RepeatAsync(TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        // Instances started together should not reconcile in lockstep.
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, interval.TotalMilliseconds / 5)));
        try
        {
            while (true)
            {
                await Task.Delay(interval + jitter, time, stopping).ConfigureAwait(false);
                try
                {
                    await work(stopping).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RequestFailedException or Azure.Data.Tables.TableTransactionFailedException or HttpRequestException)
                {
                    LogFailed(work.Method.Name, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 640, Level = LogLevel.Warning, Message = "Billing background work ({Work}) failed: {Error}; it runs again next interval")]
    private partial void LogFailed(string work, string error);
}
