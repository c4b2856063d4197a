using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Per request: checking the client's bearer key against the configured ones (SHA-256 of the presented
/// key, constant-time comparison with each stored hash), alone and as the handler calls it; and an issued
/// key found in the key cache.
/// </summary>
[MemoryDiagnoser]
public class KeyCheckBenchmarks
{
    private const string PresentedKey = "sk-syn-3c1b8a6f0e2d4b7a9c5e1f3a7b9d2c4e";

    private ConfiguredApiKeys? _keys;
    private RequestAuthenticator? _authenticator;
    private DefaultHttpContext? _context;
    private RequestAuthenticator? _issuedAuthenticator;
    private DefaultHttpContext? _issuedContext;

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
        _authenticator = new RequestAuthenticator(_keys, options, new LocalEnvironment(), new ServiceCollection().BuildServiceProvider());
        _context = new DefaultHttpContext();
        _context.Request.Headers.Authorization = "Bearer " + PresentedKey;

        // An issued key, found in the key cache as on every request after the first within the cache duration.
        var billing = Options.Create(new GatewayOptions { Billing = new BillingOptions { ConnectionString = "UseDevelopmentStorage=true" } });
        var (id, text) = ApiKeyFormat.Generate();
        var store = new OneKeyStore(new IssuedKey { Id = id, Owner = "bench", Prefix = ApiKeyFormat.DisplayPrefix(text), Hash = ApiKeyFormat.Hash(text) });
        var services = new ServiceCollection()
            .AddSingleton<IOptions<GatewayOptions>>(billing)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IKeyStore>(store)
            .AddSingleton<KeyDirectory>()
            .AddSingleton<IssuedKeysPresence>()
            .BuildServiceProvider();
        _issuedAuthenticator = new RequestAuthenticator(new ConfiguredApiKeys(billing, new ConfigurationSecretStore(new ConfigurationBuilder().Build())),
            billing, new LocalEnvironment(), services);
        _issuedContext = new DefaultHttpContext();
        _issuedContext.Request.Headers.Authorization = "Bearer " + text;
        if (Authenticate(_issuedAuthenticator, _issuedContext) is false || store.Reads != 1)
        {
            throw new InvalidOperationException("The issued key did not authenticate.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool IsValid() => _keys!.IsValid(PresentedKey);

    [Benchmark]
    public bool Authenticate() => Authenticate(_authenticator!, _context!);

    /// <summary>An issued key (<c>sk-syn-…</c>) from the key cache: parse the id, one dictionary read, SHA-256, one comparison.</summary>
    [Benchmark]
    public bool AuthenticateIssuedKeyCached() => Authenticate(_issuedAuthenticator!, _issuedContext!);

    private static bool Authenticate(RequestAuthenticator authenticator, HttpContext context) =>
        authenticator.AuthenticateAsync(context.Request, acceptApiKeyHeader: false, CancellationToken.None).AsTask().Result.Error is null;

    /// <summary>Key storage holding one key, counting reads: the benchmark must never reach it after the first.</summary>
    private sealed class OneKeyStore(IssuedKey key) : IKeyStore
    {
        public int Reads { get; private set; }

        public Task<bool> CreateAsync(IssuedKey created, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<StoredKey?> FindAsync(string id, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(id == key.Id ? new StoredKey(key, new Azure.ETag("1")) : null);
        }

        public async IAsyncEnumerable<IssuedKey> ListAsync(string? owner, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield return key;
        }

        public Task<bool> AnyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> UpdateAsync(IssuedKey changed, Azure.ETag etag, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    private sealed class LocalEnvironment : IHostEnvironmentInfo
    {
        public bool IsAzure => false;
    }
}
