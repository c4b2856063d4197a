using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Per request: checking the client's bearer key against the configured ones (SHA-256 of the presented
/// key, constant-time comparison with each stored hash), alone and as the handler calls it.
/// </summary>
[MemoryDiagnoser]
public class KeyCheckBenchmarks
{
    private const string PresentedKey = "sk-syn-3c1b8a6f0e2d4b7a9c5e1f3a7b9d2c4e";

    private ConfiguredApiKeys? _keys;
    private RequestAuthenticator? _authenticator;
    private DefaultHttpContext? _context;

    [Params(1, 100)]
    public int ConfiguredKeys { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new GatewayOptions
        {
            ApiKeys = [.. Enumerable.Range(1, ConfiguredKeys - 1).Select(i => $"sk-syn-other-key-{i:D4}"), PresentedKey],
        });
        _keys = new ConfiguredApiKeys(options, new ConfigurationSecretStore(new ConfigurationBuilder().Build()));
        _authenticator = new RequestAuthenticator(_keys, options, new LocalEnvironment());
        _context = new DefaultHttpContext();
        _context.Request.Headers.Authorization = "Bearer " + PresentedKey;
    }

    [Benchmark(Baseline = true)]
    public bool IsValid() => _keys!.IsValid(PresentedKey);

    [Benchmark]
    public bool Authenticate() => _authenticator!.AuthenticateAsync(_context!.Request, acceptApiKeyHeader: false, CancellationToken.None).Result.Error is null;

    private sealed class LocalEnvironment : IHostEnvironmentInfo
    {
        public bool IsAzure => false;
    }
}
