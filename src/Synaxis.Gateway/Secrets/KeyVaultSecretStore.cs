using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Secrets from Azure Key Vault, held in memory so that no request waits for the vault once a secret is known:
/// <list type="bullet">
/// <item>The first read of a secret goes to the vault (start-up reads every secret the gateway needs, see <see cref="SecretWarmup"/>).</item>
/// <item>Every <see cref="KeyVaultOptions.RefreshInterval"/> a timer reads each known secret again in the background;
/// callers keep getting the cached value meanwhile.</item>
/// <item>When the vault cannot be read, the last good value keeps serving; the failure is logged once per interval.</item>
/// <item><see cref="RefreshAsync"/> (after an upstream refused a key) reads at once; concurrent reads of one secret are
/// one vault call, and refreshes after refusals are spaced so a revoked key cannot turn every request into a vault read.</item>
/// <item>A secret the vault does not have is remembered as missing (null) until a later read finds it.</item>
/// </list>
/// </summary>
public sealed partial class KeyVaultSecretStore : ISecretStore, IDisposable
{
    /// <summary>A refresh after a refusal reuses one this recent (Key Vault's guidance: cache, re-read only when the copy stops working).</summary>
    internal static readonly TimeSpan RefusalRefreshSpacing = TimeSpan.FromSeconds(10);

    private readonly SecretClient _client;
    private readonly Uri _vaultUri;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly long _started;
    private readonly ILogger<KeyVaultSecretStore> _logger;
    private readonly ConcurrentDictionary<string, CachedSecret> _secrets = new(StringComparer.Ordinal);
    private readonly Func<CachedSecret, Task<SecretVersion>> _read;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly ITimer _timer;
    private int _disposed;

    public KeyVaultSecretStore(ISecretClientFactory clients, IOptions<GatewayOptions> options, TimeProvider time, ILogger<KeyVaultSecretStore> logger)
    {
        var vault = options.Value.KeyVault;
        _vaultUri = new Uri(vault.VaultUri!);
        _client = clients.Create(_vaultUri);
        _time = time;
        _interval = vault.RefreshInterval;
        _started = time.GetTimestamp();
        _logger = logger;
        _read = ReadFromVaultAsync;
        _stoppingToken = _stopping.Token;
        _timer = time.CreateTimer(static store => ((KeyVaultSecretStore)store!).RefreshAll(), this, _interval, _interval);
    }

    public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        if (!SecretNames.IsValidInKeyVault(name))
        {
            return ValueTask.FromResult<string?>(null); // no vault can hold it; start-up has said why (SecretWarmup)
        }

        var secret = Entry(name);
        return secret.Current is { } known
            ? ValueTask.FromResult(known.Value)
            : new ValueTask<string?>(ValueOfAsync(secret.ReadAsync(_read), cancellationToken));
    }

    public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken)
    {
        if (!SecretNames.IsValidInKeyVault(name))
        {
            return ValueTask.FromResult<string?>(null);
        }

        var read = Entry(name).ReadAfterRefusalAsync(_read, RefusalRefreshSpacing);
        return read.IsCompletedSuccessfully
            ? ValueTask.FromResult(read.Result.Value)
            : new ValueTask<string?>(ValueOfAsync(read, cancellationToken));
    }

    /// <summary>
    /// How the secrets in hand stand, from what the last reads found (no vault call, so a probe may ask every second):
    /// each known secret is fresh, serving its last good value after a failed refresh, unreadable (a failed read and no
    /// value yet), or still being read.
    /// </summary>
    internal SecretStoreState State()
    {
        int fresh = 0, stale = 0, unreadable = 0, reading = 0;
        foreach (var secret in _secrets.Values)
        {
            var failed = secret.FailureReportedIn >= 0;
            if (secret.Current is null && failed)
            {
                unreadable++;
            }
            else if (secret.Current is null)
            {
                reading++;
            }
            else if (failed)
            {
                stale++;
            }
            else
            {
                fresh++;
            }
        }

        return new SecretStoreState(fresh, stale, unreadable, reading);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _timer.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private CachedSecret Entry(string name) => _secrets.GetOrAdd(name, static (n, time) => new CachedSecret(n, time), _time);

    // A caller that gives up stops waiting; the shared read goes on for the others and for the cache.
    private static async Task<string?> ValueOfAsync(Task<SecretVersion> read, CancellationToken cancellationToken) =>
        (await read.WaitAsync(cancellationToken).ConfigureAwait(false)).Value;

    private void RefreshAll()
    {
        foreach (var secret in _secrets.Values)
        {
            // A failed background read has been logged and has left the last good value in place; nothing waits for it.
            _ = secret.ReadAsync(_read).ContinueWith(static read => read.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task<SecretVersion> ReadFromVaultAsync(CachedSecret secret)
    {
        SecretVersion read;
        try
        {
            var response = await _client.GetSecretAsync(secret.Name, null, _stoppingToken).ConfigureAwait(false);
            // Trimmed: a key saved from a file often ends in a newline, which no HTTP header may carry.
            var value = response.Value.Value?.Trim();
            read = new SecretVersion(string.IsNullOrEmpty(value) ? null : value, response.Value.Properties.Version);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            read = new SecretVersion(null, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_stoppingToken.IsCancellationRequested)
        {
            // Unreachable vault, throttling, a credential or permission problem: keep serving what was last read.
            ReportFailure(secret, exception);
            return secret.Current ?? throw new SecretUnavailableException(secret.Name, exception);
        }

        var previous = secret.Current;
        secret.Current = read;
        if (secret.FailureReportedIn >= 0)
        {
            secret.FailureReportedIn = -1;
            LogRecovered(secret.Name);
        }

        if (read.Value is not null && read.Version != previous?.Version)
        {
            LogLoaded(secret.Name, read.Version);
        }
        else if (read.Value is null && previous?.Value is not null)
        {
            LogDeleted(secret.Name, _vaultUri);
        }

        return read;
    }

    private void ReportFailure(CachedSecret secret, Exception exception)
    {
        // Intervals counted from the start: the background read of every interval reports, request-driven reads in between do not.
        var interval = _time.GetElapsedTime(_started).Ticks / _interval.Ticks;
        if (secret.FailureReportedIn == interval)
        {
            return;
        }

        secret.FailureReportedIn = interval;
        if (secret.Current is null)
        {
            LogReadFailed(secret.Name, _vaultUri, _interval, exception);
        }
        else
        {
            LogReadFailedServingLastGood(secret.Name, _vaultUri, _interval, exception);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Secret {Secret} read from Key Vault (version {Version})")]
    private partial void LogLoaded(string secret, string? version);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error,
        Message = "Secret {Secret} could not be read from Key Vault {VaultUri} and no earlier value is known: calls that need it fail until a read succeeds (logged at most once per {Interval})")]
    private partial void LogReadFailed(string secret, Uri vaultUri, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Secret {Secret} could not be read from Key Vault {VaultUri}; the last value read keeps serving (logged at most once per {Interval})")]
    private partial void LogReadFailedServingLastGood(string secret, Uri vaultUri, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Secret {Secret} is readable from Key Vault again")]
    private partial void LogRecovered(string secret);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Secret {Secret} no longer exists in Key Vault {VaultUri}: calls that need it fail until it is set again")]
    private partial void LogDeleted(string secret, Uri vaultUri);
}
