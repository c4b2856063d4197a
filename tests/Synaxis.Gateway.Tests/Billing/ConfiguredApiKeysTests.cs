using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Billing;

public sealed class ConfiguredApiKeysTests
{
    private static readonly ConfiguredApiKeys Keys = With("sk-one", "sk-two, sk-three", "clé-ü");

    [Theory]
    [InlineData("sk-one")]
    [InlineData("sk-two")]
    [InlineData("sk-three")]
    [InlineData("clé-ü")]
    public void ConfiguredKey_IsAccepted_AlsoFromACommaSeparatedEntry(string key)
    {
        Assert.True(Keys.IsValid(key));
        Assert.False(Keys.IsOpen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-")]
    [InlineData("sk-on")]
    [InlineData("sk-one2")]
    [InlineData("SK-ONE")]
    [InlineData(" sk-one")]
    [InlineData("sk-two, sk-three")]
    [InlineData("sk-four")]
    public void AnyOtherKey_IsRefused(string key)
    {
        Assert.False(Keys.IsValid(key));
    }

    [Fact]
    public void VeryLongKey_IsRefused()
    {
        Assert.False(Keys.IsValid(new string('k', 5000)));
    }

    [Fact]
    public void NoKeys_IsOpen_AndValidatesNothing()
    {
        var keys = With();

        Assert.True(keys.IsOpen);
        Assert.False(keys.IsValid("sk-anything"));
    }

    [Fact]
    public void BlankEntries_AreNotKeys()
    {
        Assert.True(With("", " , ").IsOpen);
    }

    [Fact]
    public void KeysFromTheSecret_AreAccepted_AndARotationCountsAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("CLIENT_KEYS", (string?)"ck-one, ck-two")]).Build();
        var keys = FromSecret(configuration, "client-keys", "sk-static");

        Assert.False(keys.IsOpen);
        Assert.True(keys.IsValid("ck-one"));
        Assert.True(keys.IsValid("ck-two"));
        Assert.True(keys.IsValid("sk-static"));

        configuration["CLIENT_KEYS"] = "ck-three";

        Assert.False(keys.IsValid("ck-one"));
        Assert.True(keys.IsValid("ck-three"));
        Assert.True(keys.IsValid("sk-static"));
    }

    [Fact]
    public void KeySecretThatDoesNotExist_RefusesEveryone_RatherThanOpening()
    {
        var keys = FromSecret(new ConfigurationBuilder().Build(), "client-keys");

        Assert.False(keys.IsOpen);
        Assert.False(keys.IsValid("anything"));
    }

    [Fact]
    public async Task KeysFromAVaultSecret_AreCheckedFromTheCache_WithoutAVaultCallPerRequest()
    {
        var vault = new FakeKeyVault().Set("client-keys", "ck-one,ck-two");
        var options = Options.Create(new GatewayOptions { ApiKeysSecret = "client-keys", KeyVault = new() { VaultUri = FakeKeyVault.VaultUri.ToString() } });
        using var store = new KeyVaultSecretStore(vault, options, TimeProvider.System, NullLogger<KeyVaultSecretStore>.Instance);
        await store.GetSecretAsync("client-keys", CancellationToken.None); // what start-up does
        var keys = new ConfiguredApiKeys(options, store);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(keys.IsValid(i % 2 == 0 ? "ck-one" : "ck-two"));
        }

        Assert.False(keys.IsValid("ck-three"));
        Assert.Equal(1, vault.Reads("client-keys"));
    }

    [Fact]
    public async Task KeysFromASecretNotYetRead_CountOnceTheReadLands()
    {
        var vault = new FakeKeyVault().Set("client-keys", "ck-one");
        var options = Options.Create(new GatewayOptions { ApiKeysSecret = "client-keys", KeyVault = new() { VaultUri = FakeKeyVault.VaultUri.ToString() } });
        using var store = new KeyVaultSecretStore(vault, options, TimeProvider.System, NullLogger<KeyVaultSecretStore>.Instance);
        var keys = new ConfiguredApiKeys(options, store);

        keys.IsValid("ck-one"); // starts the read without waiting for it

        await FakeUpstream.WaitUntilAsync(() => keys.IsValid("ck-one"), TimeSpan.FromSeconds(10), "the key read lands");
        Assert.Equal(1, vault.Reads("client-keys"));
    }

    private static ConfiguredApiKeys FromSecret(IConfiguration configuration, string secret, params string[] keys) =>
        new(Options.Create(new GatewayOptions { ApiKeys = [.. keys], ApiKeysSecret = secret }), new ConfigurationSecretStore(configuration));

    private static ConfiguredApiKeys With(params string[] keys) =>
        new(Options.Create(new GatewayOptions { ApiKeys = [.. keys] }), new ConfigurationSecretStore(new ConfigurationBuilder().Build()));
}
