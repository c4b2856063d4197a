using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Health;

/// <summary>
/// Readiness of billing storage, when <c>Synaxis:Billing</c> is configured: one point read of a row that never exists
/// (one round trip, no data), bounded by <see cref="Timeout"/>. Its answer is kept for <see cref="CacheDuration"/> and
/// shared by every probe meanwhile, so however often probes come, storage sees at most one read per interval.
/// </summary>
internal sealed class BillingStorageHealthCheck(IServiceProvider services, IOptions<GatewayOptions> options, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(5);

    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _last;
    private long _lastStarted;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Billing.IsConfigured)
        {
            return Task.FromResult(HealthCheckResult.Healthy("not configured"));
        }

        lock (_gate)
        {
            if (_last is null || (_last.IsCompleted && time.GetElapsedTime(_lastStarted) >= CacheDuration))
            {
                _lastStarted = time.GetTimestamp();
                _last = ReadAsync();
            }

            return _last.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthCheckResult> ReadAsync()
    {
        // Off the probe's thread: it holds the lock that publishes this task.
        await Task.Yield();
        var tables = services.GetRequiredService<BillingTables>();
        using var timeout = new CancellationTokenSource(Timeout, time);
        try
        {
            await tables.Counters.GetEntityIfExistsAsync<TableEntity>("synaxis-readiness", "probe", ["PartitionKey"], timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("reachable");
        }
        // Fixed descriptions only: an exception's message may carry an endpoint or a token detail, never shown to a probe.
        catch (RequestFailedException exception)
        {
            return HealthCheckResult.Unhealthy(exception.Status == 0 ? "unreachable" : $"storage answered HTTP {exception.Status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is AuthenticationFailedException or CredentialUnavailableException)
        {
            return HealthCheckResult.Unhealthy("no token for the storage account");
        }
        catch (AggregateException)
        {
            return HealthCheckResult.Unhealthy("unreachable");
        }
    }
}
