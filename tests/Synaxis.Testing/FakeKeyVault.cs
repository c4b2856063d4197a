using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Testing;

/// <summary>
/// Key Vault for tests: a Moq <see cref="SecretClient"/> (its methods are virtual, <see cref="SecretModelFactory"/>
/// builds its answers) over secrets the test sets, rotates and deletes at will. It counts reads, can hold them
/// until released (a slow vault), and can fail like an unreachable one. Handed to the gateway as its
/// <see cref="ISecretClientFactory"/>, so no credential is ever built.
/// </summary>
public sealed class FakeKeyVault : ISecretClientFactory
{
    public static readonly Uri VaultUri = new("https://synaxis-test.vault.azure.net/");

    private readonly ConcurrentDictionary<string, (string Value, int Version)> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly Mock<SecretClient> _client = new(MockBehavior.Strict);
    private volatile TaskCompletionSource? _hold;
    private volatile bool _unreachable;

    public FakeKeyVault()
    {
        _client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, CancellationToken cancellationToken) => ReadAsync(name, cancellationToken));
    }

    /// <summary>While true every read fails the way Azure.Core reports a vault it cannot connect to.</summary>
    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>Reads that reached the vault, all secrets together.</summary>
    public int TotalReads => _reads.Values.Sum();

    public SecretClient Create(Uri vaultUri) => _client.Object;

    /// <summary>Sets a secret, or adds a new version of it (a rotation).</summary>
    public FakeKeyVault Set(string name, string value)
    {
        _secrets.AddOrUpdate(name, (value, 1), (_, old) => (value, old.Version + 1));
        return this;
    }

    public void Delete(string name) => _secrets.TryRemove(name, out _);

    public int Reads(string name) => _reads.GetValueOrDefault(name);

    /// <summary>From now on reads wait (counted already) until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        _hold?.TrySetResult();
        _hold = null;
    }

    private async Task<Response<KeyVaultSecret>> ReadAsync(string name, CancellationToken cancellationToken)
    {
        _reads.AddOrUpdate(name, 1, (_, count) => count + 1);
        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }

        if (Unreachable)
        {
            throw new RequestFailedException("No such host is known. (synaxis-test.vault.azure.net:443)",
                new HttpRequestException("No such host is known.", null, System.Net.HttpStatusCode.ServiceUnavailable));
        }

        if (!_secrets.TryGetValue(name, out var secret))
        {
            throw new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null);
        }

        var version = $"v{secret.Version}";
        var properties = SecretModelFactory.SecretProperties(id: new Uri(VaultUri, $"secrets/{name}/{version}"), vaultUri: VaultUri, name: name, version: version);
        return Response.FromValue(SecretModelFactory.KeyVaultSecret(properties, secret.Value), Mock.Of<Response>());
    }
}
