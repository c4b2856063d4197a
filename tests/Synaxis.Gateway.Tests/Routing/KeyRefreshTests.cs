using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>An upstream 401 reads the key's secret again and, if it changed, the router calls the same deployment once more with it.</summary>
public sealed class KeyRefreshTests
{
    private const string Secret = "openai-api-key";

    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder()
        .AddInMemoryCollection([KeyValuePair.Create(Secret, (string?)"sk-old")]).Build();

    private readonly LogSink _logs = new();

    [Fact]
    public async Task Upstream401_AfterTheSecretWasRotated_RetriesOnceWithTheNewKey()
    {
        var secrets = new RotatingStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-new");
        _configuration[Secret] = "sk-new"; // rotated in the store, not yet in the cache

        var result = await RoutedProvider.CompleteAsync(provider, Call(), secrets, _logs);

        Assert.Null(result.Failure);
        Assert.Equal(["sk-old", "sk-new"], provider.KeysUsed);
        Assert.Contains(_logs.Lines, l => l.Contains("the call is repeated once with it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upstream401_ForTheNewKeyToo_IsNotRetriedAgain()
    {
        var secrets = new RotatingStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-other");
        _configuration[Secret] = "sk-new";

        var result = await RoutedProvider.CompleteAsync(provider, Call(), secrets);

        Assert.Equal(401, result.Failure?.UpstreamStatus);
        Assert.Equal(2, provider.KeysUsed.Count);
    }

    [Fact]
    public async Task Upstream401_WithTheSecretUnchanged_IsNotRetried()
    {
        var secrets = new ConfigurationSecretStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-new");

        var result = await RoutedProvider.CompleteAsync(provider, Call(), secrets, _logs);

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, result.Failure?.Kind);
        Assert.Single(provider.KeysUsed);
        Assert.Contains(_logs.Lines, l => l.Contains("holds no newer value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upstream403_IsNotRetried()
    {
        var secrets = new RotatingStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-new", refusalStatus: 403);
        _configuration[Secret] = "sk-new";

        var result = await RoutedProvider.CompleteAsync(provider, Call(), secrets);

        Assert.Equal(403, result.Failure?.UpstreamStatus);
        Assert.Single(provider.KeysUsed);
    }

    [Fact]
    public async Task KeylessDeployment_Upstream401_IsNotRetried()
    {
        var secrets = new ConfigurationSecretStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-new");

        var result = await RoutedProvider.CompleteAsync(provider, Call(secret: null), secrets);

        Assert.NotNull(result.Failure);
        Assert.Equal(1, provider.Calls);
    }

    [Fact]
    public async Task Stream_Upstream401_AfterTheSecretWasRotated_OpensWithTheNewKey()
    {
        var secrets = new RotatingStore(_configuration);
        var provider = new KeyCheckingProvider(secrets, accepted: "sk-new");
        _configuration[Secret] = "sk-new";

        var failure = await RoutedProvider.OpenStreamAsync(provider, Call(), secrets);

        Assert.Null(failure);
        Assert.Equal(["sk-old", "sk-new"], provider.KeysUsed);
    }

    [Fact]
    public async Task SecretStoreUnreachable_IsAFailureNamingTheSecret()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        vault.Unreachable = true;
        var options = Options.Create(new GatewayOptions { KeyVault = new() { VaultUri = FakeKeyVault.VaultUri.ToString() } });
        using var store = new KeyVaultSecretStore(vault, options, TimeProvider.System, TestLogs.For<KeyVaultSecretStore>(_logs));
        var provider = new KeyCheckingProvider(store, accepted: "sk-old");

        var failure = await RoutedProvider.OpenStreamAsync(provider, Call(), store);

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, failure?.Kind);
        Assert.Null(failure!.UpstreamStatus);
        Assert.Equal("secret_store_unavailable", failure.Code);
        Assert.Contains("'openai-api-key'", failure.Message, StringComparison.Ordinal);
        Assert.Empty(provider.KeysUsed); // no key, so nothing went upstream
    }

    private static ProviderCall Call(string? secret = Secret) => new(
        new ChatCompletionRequest { Model = "gpt-4" },
        new ModelDeployment
        {
            Name = "gpt-4", Provider = "fake", UpstreamModel = "gpt-4o", OwnedBy = "test", ApiKeySecret = secret,
            FirstByteTimeout = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(5),
        },
        "req-1");

    /// <summary>A store with a cache, like Key Vault's: reads give the value cached at construction until a refresh.</summary>
    private sealed class RotatingStore(IConfiguration configuration) : ISecretStore
    {
        private string? _cached = configuration[Secret];

        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(_cached);

        public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(_cached = configuration[Secret]);
    }

    /// <summary>Reads its key from the store as a real provider does and accepts only one value.</summary>
    private sealed class KeyCheckingProvider(ISecretStore secrets, string accepted, int refusalStatus = 401) : IChatProvider
    {
        public List<string?> KeysUsed { get; } = [];

        public int Calls { get; private set; }

        public string Name => "fake";

        public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken) =>
            await AcceptsAsync(call, cancellationToken) ? CompletionResult.Success("{}"u8.ToArray(), null) : CompletionResult.Failed(Refusal());

        public async Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
            await AcceptsAsync(call, cancellationToken) ? StreamResult.Success(AsyncEnumerable.Empty<StreamChunk>()) : StreamResult.Failed(Refusal());

        private async Task<bool> AcceptsAsync(ProviderCall call, CancellationToken cancellationToken)
        {
            Calls++;
            var key = call.Deployment.ApiKeySecret is { } name ? await secrets.GetSecretAsync(name, cancellationToken) : null;
            KeysUsed.Add(key);
            return key == accepted;
        }

        private UpstreamFailure Refusal() => new(UpstreamFailureKind.AuthenticationFailed, "Incorrect API key provided.") { UpstreamStatus = refusalStatus };
    }
}
