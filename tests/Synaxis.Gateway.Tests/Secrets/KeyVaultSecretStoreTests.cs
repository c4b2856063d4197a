using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Secrets;

/// <summary>The Key Vault store: cached reads, background refresh, outage, refresh after a refusal, missing secrets, concurrency.</summary>
public sealed class KeyVaultSecretStoreTests : IDisposable
{
    private const string Name = "openai-api-key";
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly FakeKeyVault _vault = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LogSink _logs = new();
    private readonly KeyVaultSecretStore _store;

    public KeyVaultSecretStoreTests()
    {
        var options = Options.Create(new GatewayOptions { KeyVault = new() { VaultUri = FakeKeyVault.VaultUri.ToString(), RefreshInterval = Interval } });
        _store = new KeyVaultSecretStore(_vault, options, _time, TestLogs.For<KeyVaultSecretStore>(_logs));
    }

    public void Dispose()
    {
        _vault.Release();
        _store.Dispose();
    }

    private ValueTask<string?> Get() => _store.GetSecretAsync(Name, CancellationToken.None);

    /// <summary>"sk-one" is cached, the vault holds "sk-two", and a refresh after a refusal is inside the vault, held there.</summary>
    private async Task<Task<string?>> StartHeldRefreshAsync()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Set(Name, "sk-two");
        _vault.Hold();
        var refresh = _store.RefreshAsync(Name, CancellationToken.None).AsTask();
        await FakeUpstream.WaitUntilAsync(() => _vault.Reads(Name) == 2, Bound, "the refresh reaches the vault");
        return refresh;
    }

    private int Logged(int eventId) => _logs.Lines.Count(l => l.Contains($"[{eventId}]", StringComparison.Ordinal));

    [Fact]
    public async Task Get_ReadsTheVaultOnce_ThenServesFromMemory()
    {
        _vault.Set(Name, "sk-one");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("sk-one", await Get());
        }

        Assert.Equal(1, _vault.Reads(Name));
        Assert.Contains(_logs.Lines, l => l.Contains("Secret openai-api-key read from Key Vault (version v1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValueSavedWithATrailingNewline_IsTrimmed_AndABlankOneIsMissing()
    {
        _vault.Set(Name, "sk-one\n").Set("blank-key", " \n");

        Assert.Equal("sk-one", await Get());
        Assert.Null(await _store.GetSecretAsync("blank-key", CancellationToken.None));
    }

    [Fact]
    public async Task BackgroundRefresh_EveryInterval_PicksUpARotatedValue()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Set(Name, "sk-two");

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal("sk-one", await Get());
        Assert.Equal(1, _vault.Reads(Name));

        _time.Advance(TimeSpan.FromSeconds(1));
        await FakeUpstream.WaitUntilAsync(() => Get().Result == "sk-two", Bound, "the background refresh brings the new value");
        Assert.Equal(2, _vault.Reads(Name));
    }

    [Fact]
    public async Task Get_WhileABackgroundRefreshWaitsForTheVault_AnswersAtOnceFromMemory()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Set(Name, "sk-two");
        _vault.Hold();

        _time.Advance(Interval);
        await FakeUpstream.WaitUntilAsync(() => _vault.Reads(Name) == 2, Bound, "the background read reaches the vault");
        var duringRefresh = Get();

        Assert.True(duringRefresh.IsCompletedSuccessfully, "a warm read never waits for the vault");
        Assert.Equal("sk-one", await duringRefresh);
        _vault.Release();
        await FakeUpstream.WaitUntilAsync(() => Get().Result == "sk-two", Bound, "the refresh lands");
    }

    [Fact]
    public async Task VaultOutage_LastGoodValueKeepsServing_AndTheFailureIsLoggedOncePerInterval()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Unreachable = true;

        // First interval: three refreshes after refusals fail; the last good value answers, one log line.
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(KeyVaultSecretStore.RefusalRefreshSpacing);
            Assert.Equal("sk-one", await _store.RefreshAsync(Name, CancellationToken.None));
        }

        Assert.Equal(4, _vault.Reads(Name));
        Assert.Equal(1, Logged(202));
        Assert.Equal("sk-one", await Get());

        // Second interval: the background read fails too, and is logged once more.
        _time.Advance(Interval - 3 * KeyVaultSecretStore.RefusalRefreshSpacing);
        await FakeUpstream.WaitUntilAsync(() => Logged(202) == 2, Bound, "the next interval's failure is logged");
        Assert.Equal(5, _vault.Reads(Name));
        _time.Advance(KeyVaultSecretStore.RefusalRefreshSpacing);
        Assert.Equal("sk-one", await _store.RefreshAsync(Name, CancellationToken.None)); // joins or follows the background read
        Assert.Equal(2, Logged(202));

        _vault.Unreachable = false;
        _vault.Set(Name, "sk-two");
        _time.Advance(Interval);
        await FakeUpstream.WaitUntilAsync(() => Logged(203) == 1, Bound, "the vault is back");
        Assert.Equal("sk-two", await Get());
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("sk-one", StringComparison.Ordinal) || l.Contains("sk-two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VaultOutage_BeforeAnyRead_FailsNamingTheSecret()
    {
        _vault.Set(Name, "sk-one");
        _vault.Unreachable = true;

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => Get().AsTask());

        Assert.Equal(Name, failure.SecretName);
        Assert.Contains("'openai-api-key'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-one", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, Logged(201));
    }

    [Fact]
    public async Task MissingSecret_IsNull_AndIsRemembered_UntilARefreshFindsIt()
    {
        Assert.Null(await Get());
        Assert.Null(await Get());
        Assert.Equal(1, _vault.Reads(Name));

        _vault.Set(Name, "sk-late");
        _time.Advance(Interval);

        await FakeUpstream.WaitUntilAsync(() => Get().Result == "sk-late", Bound, "the refresh finds the new secret");
    }

    [Fact]
    public async Task DeletedSecret_IsNullAfterTheNextRefresh_AndSaysSo()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Delete(Name);

        _time.Advance(Interval);

        await FakeUpstream.WaitUntilAsync(() => Logged(204) == 1, Bound, "the deletion is noticed");
        Assert.Null(await Get());
    }

    [Fact]
    public async Task Refresh_ReadsTheVaultAtOnce_AndRefreshesRightAfterReuseThatRead()
    {
        _vault.Set(Name, "sk-one");
        await Get();
        _vault.Set(Name, "sk-two");

        Assert.Equal("sk-two", await _store.RefreshAsync(Name, CancellationToken.None));
        Assert.Equal("sk-two", await Get());

        _vault.Set(Name, "sk-three");
        Assert.Equal("sk-two", await _store.RefreshAsync(Name, CancellationToken.None));
        Assert.Equal(2, _vault.Reads(Name));

        _time.Advance(KeyVaultSecretStore.RefusalRefreshSpacing);
        Assert.Equal("sk-three", await _store.RefreshAsync(Name, CancellationToken.None));
        Assert.Equal(3, _vault.Reads(Name));
    }

    [Fact]
    public async Task HundredParallelRequests_DuringARefresh_CauseOneVaultCall()
    {
        var first = await StartHeldRefreshAsync();
        var refreshes = Enumerable.Range(0, 50).Select(_ => Task.Run(() => _store.RefreshAsync(Name, CancellationToken.None).AsTask())).ToArray();
        var reads = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Get().AsTask())).ToArray();

        Assert.All(await Task.WhenAll(reads), value => Assert.Equal("sk-one", value)); // not held up by the refresh
        _vault.Release();
        Assert.All(await Task.WhenAll(refreshes.Append(first)), value => Assert.Equal("sk-two", value));
        Assert.Equal(2, _vault.Reads(Name));
    }

    [Fact]
    public async Task RefreshesArrivingJustAsTheRefreshEnds_ReuseIt_InsteadOfReadingAgain()
    {
        var first = await StartHeldRefreshAsync();

        // Callers keep asking while the read ends: each either joins the read or finds it just completed.
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var asked = 0;
            while (!stop.IsCancellationRequested || asked < 1000)
            {
                Assert.Equal("sk-two", await _store.RefreshAsync(Name, CancellationToken.None));
                asked++;
            }
        })).ToArray();
        _vault.Release();
        Assert.Equal("sk-two", await first);
        stop.Cancel();
        await Task.WhenAll(callers).WaitAsync(Bound);

        Assert.Equal(2, _vault.Reads(Name));
    }

    [Fact]
    public async Task HundredParallelFirstReads_CauseOneVaultCall()
    {
        _vault.Set(Name, "sk-one");
        _vault.Hold();

        var reads = Enumerable.Range(0, 100).Select(_ => Task.Run(() => Get().AsTask())).ToArray();
        await FakeUpstream.WaitUntilAsync(() => _vault.Reads(Name) == 1, Bound, "the first read reaches the vault");
        _vault.Release();

        Assert.All(await Task.WhenAll(reads), value => Assert.Equal("sk-one", value));
        Assert.Equal(1, _vault.Reads(Name));
    }

    [Fact]
    public async Task CallerThatGivesUp_StopsWaiting_WhileTheReadGoesOnForTheCache()
    {
        _vault.Set(Name, "sk-one");
        _vault.Hold();
        using var cancel = new CancellationTokenSource();

        var waiting = _store.GetSecretAsync(Name, cancel.Token).AsTask();
        await FakeUpstream.WaitUntilAsync(() => _vault.Reads(Name) == 1, Bound, "the read reaches the vault");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _vault.Release();
        await FakeUpstream.WaitUntilAsync(() => Get() is { IsCompletedSuccessfully: true, Result: "sk-one" }, Bound, "the read completes for the cache");
        Assert.Equal(1, _vault.Reads(Name));
    }

    [Theory]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("key.with.dots")]
    [InlineData("")]
    public async Task NameKeyVaultCannotHold_IsMissing_WithoutAVaultCall(string name)
    {
        Assert.Null(await _store.GetSecretAsync(name, CancellationToken.None));
        Assert.Null(await _store.RefreshAsync(name, CancellationToken.None));
        Assert.Equal(0, _vault.TotalReads);
    }

    [Fact]
    public async Task Dispose_StopsTheBackgroundRefresh()
    {
        _vault.Set(Name, "sk-one");
        await Get();

        _store.Dispose();
        _time.Advance(Interval * 3);
        await Task.Delay(50);

        Assert.Equal(1, _vault.Reads(Name));
    }
}
