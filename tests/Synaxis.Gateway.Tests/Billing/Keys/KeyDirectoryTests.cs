using System.Runtime.CompilerServices;
using Azure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Tests.Billing.Keys;

/// <summary>The key cache: storage is read once per key per cache duration, concurrent misses share one read, forged ids are remembered.</summary>
public sealed class KeyDirectoryTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CountingStore _store = new();

    private KeyDirectory Directory(int lookupsPerSecond = 200) =>
        new(_store, Options.Create(new GatewayOptions { Billing = new BillingOptions { KeyCacheDuration = TimeSpan.FromSeconds(30), KeyLookupsPerSecond = lookupsPerSecond } }), _time);

    private (IssuedKey Key, string Text) Issue(bool revoked = false, DateTimeOffset? expires = null)
    {
        var (id, text) = ApiKeyFormat.Generate();
        var key = new IssuedKey { Id = id, Owner = "acme", Prefix = ApiKeyFormat.DisplayPrefix(text), Hash = ApiKeyFormat.Hash(text), Revoked = revoked, ExpiresAt = expires };
        _store.Keys[id] = key;
        return (key, text);
    }

    [Fact]
    public async Task HotKey_ReadsStorageOncePerCacheDuration()
    {
        var directory = Directory();
        var (_, text) = Issue();

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        }

        Assert.Equal(1, _store.Reads);
        _time.Advance(TimeSpan.FromSeconds(31));
        await directory.CheckAsync(text, CancellationToken.None);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task ConcurrentMisses_ForOneId_ShareOneRead()
    {
        var directory = Directory();
        var (_, text) = Issue();
        _store.Gate = new TaskCompletionSource();

        var checks = Enumerable.Range(0, 100).Select(_ => directory.CheckAsync(text, CancellationToken.None).AsTask()).ToList();
        _store.Gate.SetResult();
        var results = await Task.WhenAll(checks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.Equal(KeyCheckStatus.Valid, r.Status));
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task UnknownId_IsRememberedForAFewSeconds()
    {
        var directory = Directory();
        var forged = ApiKeyFormat.Generate().Text;

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(KeyCheckStatus.Unknown, (await directory.CheckAsync(forged, CancellationToken.None)).Status);
        }

        Assert.Equal(1, _store.Reads);
        _time.Advance(KeyDirectory.UnknownDuration);
        await directory.CheckAsync(forged, CancellationToken.None);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task FloodOfForgedIds_CostsNoMoreStorageReadsThanTheLookupBudget()
    {
        var directory = Directory(lookupsPerSecond: 10);
        var refused = 0;

        for (var i = 0; i < 1000; i++)
        {
            try
            {
                Assert.Equal(KeyCheckStatus.Unknown, (await directory.CheckAsync(ApiKeyFormat.Generate().Text, CancellationToken.None)).Status);
            }
            catch (KeyLookupsExhaustedException)
            {
                refused++;
            }
        }

        Assert.Equal(10, _store.Reads);
        Assert.Equal(990, refused);

        // The budget refills with time: a tenth of a second later, one more lookup.
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var (_, text) = Issue();
        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        await Assert.ThrowsAsync<KeyLookupsExhaustedException>(() => directory.CheckAsync(ApiKeyFormat.Generate().Text, CancellationToken.None).AsTask());
        Assert.Equal(11, _store.Reads);
    }

    [Fact]
    public async Task KnownKey_WhoseCopyWentStale_ServesOnFromIt_WhileLookupsAreExhausted()
    {
        var directory = Directory(lookupsPerSecond: 1);
        var (_, text) = Issue();
        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(KeyCheckStatus.Unknown, (await directory.CheckAsync(ApiKeyFormat.Generate().Text, CancellationToken.None)).Status); // spends the budget

        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        Assert.Equal(2, _store.Reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        Assert.Equal(3, _store.Reads); // read again once there is budget
    }

    [Theory]
    [InlineData("sk-syn-short")]
    [InlineData("sk-other-key")]
    [InlineData("")]
    public async Task MalformedKey_IsUnknown_WithoutAStorageRead(string presented)
    {
        Assert.Equal(KeyCheckStatus.Unknown, (await Directory().CheckAsync(presented, CancellationToken.None)).Status);
        Assert.Equal(0, _store.Reads);
    }

    [Fact]
    public async Task RightId_WrongSecret_IsUnknown_NotRevokedOrExpired()
    {
        var directory = Directory();
        var (key, text) = Issue(revoked: true);

        var forged = text[..19] + new string('x', 32);

        Assert.Equal(KeyCheckStatus.Unknown, (await directory.CheckAsync(forged, CancellationToken.None)).Status);
        Assert.Equal(KeyCheckStatus.Revoked, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        Assert.Equal(key.Id, (await directory.CheckAsync(text, CancellationToken.None)).Key!.Id);
    }

    [Fact]
    public async Task Expiry_CountsAgainstTheClock()
    {
        var directory = Directory();
        var (_, text) = Issue(expires: _time.GetUtcNow().AddSeconds(10));

        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(KeyCheckStatus.Expired, (await directory.CheckAsync(text, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task FailedRead_IsNotRemembered()
    {
        var directory = Directory();
        var (_, text) = Issue();
        _store.Fail = true;

        await Assert.ThrowsAsync<RequestFailedException>(() => directory.CheckAsync(text, CancellationToken.None).AsTask());
        _store.Fail = false;

        Assert.Equal(KeyCheckStatus.Valid, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task RememberedChange_CountsAtOnce()
    {
        var directory = Directory();
        var (key, text) = Issue();
        await directory.CheckAsync(text, CancellationToken.None);

        directory.Remember(key with { Revoked = true });

        Assert.Equal(KeyCheckStatus.Revoked, (await directory.CheckAsync(text, CancellationToken.None)).Status);
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public void GeneratedKeys_HaveTheAgreedShape_AndParseToTheirId()
    {
        var (id, text) = ApiKeyFormat.Generate();

        Assert.Matches("^sk-syn-[A-Za-z0-9]{12}[A-Za-z0-9]{32}$", text);
        Assert.True(ApiKeyFormat.TryParseId(text, out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(ApiKeyFormat.IsId(id));
        Assert.NotEqual(text, ApiKeyFormat.Generate().Text);
    }

    private sealed class CountingStore : IKeyStore
    {
        private int _reads;

        public Dictionary<string, IssuedKey> Keys { get; } = [];

        public int Reads => _reads;

        public TaskCompletionSource? Gate { get; set; }

        public bool Fail { get; set; }

        public Task<bool> CreateAsync(IssuedKey key, CancellationToken cancellationToken) => Task.FromResult(Keys.TryAdd(key.Id, key));

        public async Task<StoredKey?> FindAsync(string id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            if (Fail)
            {
                throw new RequestFailedException(500, "storage down");
            }

            return Keys.TryGetValue(id, out var key) ? new StoredKey(key, new ETag("1")) : null;
        }

        public async IAsyncEnumerable<IssuedKey> ListAsync(string? owner, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            foreach (var key in Keys.Values)
            {
                yield return key;
            }
        }

        public Task<bool> AnyAsync(CancellationToken cancellationToken) => Task.FromResult(Keys.Count > 0);

        public Task<bool> UpdateAsync(IssuedKey key, ETag etag, CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
