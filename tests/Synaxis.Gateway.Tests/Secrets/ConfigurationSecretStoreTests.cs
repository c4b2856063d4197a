using Microsoft.Extensions.Configuration;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Secrets;

public sealed class ConfigurationSecretStoreTests
{
    [Fact]
    public async Task SecretByItsOwnName_IsFound()
    {
        Assert.Equal("sk-env", await Store(("OPENAI_API_KEY", "sk-env")).GetSecretAsync("OPENAI_API_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task SecretUnderSynaxisSecrets_IsFound()
    {
        Assert.Equal("sk-section", await Store(("Synaxis:Secrets:GROQ_KEY", "sk-section")).GetSecretAsync("GROQ_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task OwnName_WinsOverTheSection()
    {
        var store = Store(("KEY", "top"), ("Synaxis:Secrets:KEY", "section"));

        Assert.Equal("top", await store.GetSecretAsync("KEY", CancellationToken.None));
    }

    [Fact]
    public async Task EmptyOrMissingSecret_IsNull()
    {
        var store = Store(("EMPTY", ""));

        Assert.Null(await store.GetSecretAsync("EMPTY", CancellationToken.None));
        Assert.Null(await store.GetSecretAsync("MISSING", CancellationToken.None));
    }

    private static ConfigurationSecretStore Store(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());
}
