using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Per request: the rate-limit check of an issued key in the common case, a busy key admitted from the slice this
/// instance holds, against Azurite (started for the run) for the slices it takes now and then. The baseline is a key
/// without limits, which never reaches the counters.
/// </summary>
[MemoryDiagnoser]
public class RateLimitBenchmarks
{
    private Azurite? _azurite;
    private TableRateLimiter? _limiter;
    private Caller? _unlimited;
    private Caller? _requests;
    private Caller? _requestsAndTokens;

    [GlobalSetup]
    public void Setup()
    {
        _azurite = Azurite.StartAsync().GetAwaiter().GetResult();
        var options = Options.Create(new GatewayOptions { Billing = new BillingOptions { ConnectionString = _azurite.ConnectionString, TablePrefix = "bench" } });
        var tables = new BillingTables(options, new NoCredentials());
        tables.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        _limiter = new TableRateLimiter(tables, TimeProvider.System);
        _unlimited = Issued("key_unlimited0", null, null);
        // Limits far above what a benchmark run reaches in a minute: every call is admitted, as on a busy key within its limits.
        _requests = Issued("key_requests00", 1_000_000_000, null);
        _requestsAndTokens = Issued("key_reqtokens0", 1_000_000_000, 2_000_000_000);
    }

    [GlobalCleanup]
    public void Cleanup() => _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public bool KeyWithoutLimits() => Acquire(_unlimited!).Admitted;

    [Benchmark]
    public bool RequestsPerMinute() => Acquire(_requests!).Admitted;

    /// <summary>Both limits, and the settle that replaces the token estimate with the real count.</summary>
    [Benchmark]
    public bool RequestsAndTokensPerMinute_WithSettle()
    {
        var decision = Acquire(_requestsAndTokens!);
        _limiter!.Settle(_requestsAndTokens!, decision, 120);
        return decision.Admitted;
    }

    private RateLimitDecision Acquire(Caller caller)
    {
        var pending = _limiter!.AcquireAsync(caller, 150, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static Caller Issued(string id, int? requestsPerMinute, int? tokensPerMinute) => new(id, "bench", new IssuedKey
    {
        Id = id,
        Owner = "bench",
        Prefix = "sk-syn-bench…",
        Hash = new byte[32],
        RequestsPerMinute = requestsPerMinute,
        TokensPerMinute = tokensPerMinute,
    });

    private sealed class NoCredentials : IAzureCredentialFactory
    {
        public Azure.Core.TokenCredential Create() => throw new NotSupportedException("Azurite is reached with its connection string.");
    }
}
