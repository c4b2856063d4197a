using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Secrets;

public sealed class AdminKeyTests
{
    private const string Stored = "adm-0123456789abcdef";

    [Fact]
    public async Task StoredKey_IsValid()
    {
        Assert.Equal(AdminKeyCheck.Valid, await Local(("SYNAXIS_ADMIN_KEY", Stored)).VerifyAsync(Stored, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("adm-0123456789abcde")]
    [InlineData("adm-0123456789abcdef0")]
    [InlineData("ADM-0123456789ABCDEF")]
    [InlineData(" adm-0123456789abcdef")]
    public async Task AnyOtherKey_IsInvalid(string? presented)
    {
        Assert.Equal(AdminKeyCheck.Invalid, await Local(("SYNAXIS_ADMIN_KEY", Stored)).VerifyAsync(presented, CancellationToken.None));
    }

    [Fact]
    public async Task VeryLongKey_IsInvalid()
    {
        Assert.Equal(AdminKeyCheck.Invalid, await Local(("SYNAXIS_ADMIN_KEY", Stored)).VerifyAsync(new string('k', 5000), CancellationToken.None));
    }

    [Fact]
    public async Task NoAdminKeySecret_IsNotConfigured_AndLetsNobodyIn()
    {
        var admin = Local();

        Assert.Equal(AdminKeyCheck.NotConfigured, await admin.VerifyAsync("", CancellationToken.None));
        Assert.Equal(AdminKeyCheck.NotConfigured, await admin.VerifyAsync(Stored, CancellationToken.None));
    }

    [Fact]
    public async Task RenamedSecret_IsTheOneChecked()
    {
        var admin = Local([("ops-admin-key", "adm-renamed"), ("SYNAXIS_ADMIN_KEY", Stored)], secretName: "ops-admin-key");

        Assert.Equal("ops-admin-key", admin.SecretName);
        Assert.Equal(AdminKeyCheck.Valid, await admin.VerifyAsync("adm-renamed", CancellationToken.None));
        Assert.Equal(AdminKeyCheck.Invalid, await admin.VerifyAsync(Stored, CancellationToken.None));
    }

    [Fact]
    public async Task VaultUnreachableBeforeTheKeyWasRead_IsUnavailable()
    {
        var vault = new FakeKeyVault().Set(SecretNames.DefaultAdminKey, Stored);
        vault.Unreachable = true;
        var options = Options.Create(new GatewayOptions { KeyVault = new() { VaultUri = FakeKeyVault.VaultUri.ToString() } });
        using var store = new KeyVaultSecretStore(vault, options, TimeProvider.System, NullLogger<KeyVaultSecretStore>.Instance);

        Assert.Equal(AdminKeyCheck.Unavailable, await new AdminKey(store, options).VerifyAsync(Stored, CancellationToken.None));
    }

    private static AdminKey Local(params (string Key, string Value)[] settings) => Local(settings, null);

    private static AdminKey Local((string Key, string Value)[] settings, string? secretName)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var options = new GatewayOptions();
        if (secretName is not null)
        {
            options.AdminKeySecret = secretName;
        }

        return new AdminKey(new ConfigurationSecretStore(configuration), Options.Create(options));
    }
}
