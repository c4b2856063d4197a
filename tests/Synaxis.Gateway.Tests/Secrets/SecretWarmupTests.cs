using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Secrets;

/// <summary>Start-up reads every secret the gateway needs and names each one that does not exist.</summary>
public sealed class SecretWarmupTests
{
    private readonly LogSink _logs = new();

    private static GatewayOptions Catalog(string? apiKeysSecret = null, params (string Model, string? Secret)[] models) => new()
    {
        ApiKeysSecret = apiKeysSecret,
        Models = [.. models.Select(m => new ModelOptions { Name = m.Model, Provider = "openai", BaseUrl = "https://api.example.com/v1", ApiKeySecret = m.Secret })],
    };

    private SecretWarmup Warmup(ISecretStore store, GatewayOptions options, TimeProvider? time = null) =>
        new(store, new ModelCatalog(Options.Create(options)), Options.Create(options), time ?? TimeProvider.System, TestLogs.For<SecretWarmup>(_logs));

    private static ConfigurationSecretStore Local(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void NeededSecrets_AreEveryModelKey_TheClientKeys_AndTheAdminKey()
    {
        var options = Catalog("client-keys", ("gpt-4", "openai-api-key"), ("gpt-4o", "openai-api-key"), ("llama", null));

        var needed = Warmup(Local(), options).NeededSecrets();

        Assert.Equal(["openai-api-key", "client-keys", "synaxis-admin-key"], needed.Keys);
        Assert.Equal(["model 'gpt-4'", "model 'gpt-4o'"], needed["openai-api-key"]);
    }

    [Fact]
    public async Task MissingSecret_IsLoggedAtStart_ByNameWithWhoNeedsItAndWhereItWasLookedFor()
    {
        var options = Catalog(null, ("gpt-4", "openai-api-key"), ("claude", "anthropic-api-key"));

        await Warmup(Local(("ANTHROPIC_API_KEY", "sk-ant-secret"), ("SYNAXIS_ADMIN_KEY", "adm-secret")), options).StartAsync(CancellationToken.None);

        var error = Assert.Single(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("openai-api-key", error, StringComparison.Ordinal);
        Assert.Contains("model 'gpt-4'", error, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("sk-ant-secret", StringComparison.Ordinal) || l.Contains("adm-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingAdminKey_IsAWarningThatTheAdminApiIsOff()
    {
        await Warmup(Local(), Catalog()).StartAsync(CancellationToken.None);

        var warning = Assert.Single(_logs.Lines);
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains("synaxis-admin-key", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithKeyVault_SecretsAreCachedAtStart_AndANameKeyVaultCannotHoldIsExplained()
    {
        var vault = new FakeKeyVault().Set("openai-api-key", "sk-1").Set("synaxis-admin-key", "adm-1");
        var options = Catalog(null, ("gpt-4", "openai-api-key"), ("groq", "GROQ_API_KEY"));
        options.KeyVault.VaultUri = FakeKeyVault.VaultUri.ToString();
        using var store = new KeyVaultSecretStore(vault, Options.Create(options), TimeProvider.System, TestLogs.For<KeyVaultSecretStore>(_logs));

        await Warmup(store, options).StartAsync(CancellationToken.None);

        Assert.Equal(1, vault.Reads("openai-api-key"));
        Assert.Equal(0, vault.Reads("GROQ_API_KEY"));
        Assert.True(store.GetSecretAsync("openai-api-key", CancellationToken.None).IsCompletedSuccessfully);
        var error = Assert.Single(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("GROQ_API_KEY", error, StringComparison.Ordinal);
        Assert.Contains("groq-api-key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowVault_DoesNotHoldTheStartLongerThanTheBound()
    {
        var vault = new FakeKeyVault().Set("openai-api-key", "sk-1");
        vault.Hold();
        var options = Catalog(null, ("gpt-4", "openai-api-key"));
        options.KeyVault.VaultUri = FakeKeyVault.VaultUri.ToString();
        var time = new FakeTimeProvider();
        using var store = new KeyVaultSecretStore(vault, Options.Create(options), time, TestLogs.For<KeyVaultSecretStore>(_logs));

        var start = Warmup(store, options, time).StartAsync(CancellationToken.None);
        await FakeUpstream.WaitUntilAsync(() => vault.TotalReads == 2, TimeSpan.FromSeconds(10), "both reads reach the vault");
        Assert.False(start.IsCompleted);
        time.Advance(SecretWarmup.StartWait);
        await start.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(_logs.Lines, l => l.Contains("still being read", StringComparison.Ordinal));
        vault.Release();
        await FakeUpstream.WaitUntilAsync(() => store.GetSecretAsync("openai-api-key", CancellationToken.None).IsCompletedSuccessfully, TimeSpan.FromSeconds(10), "the read lands later");
    }
}
