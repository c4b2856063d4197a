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
    public async Task EmptyOrMissingSecret_IsNull_AndAValueIsTrimmed()
    {
        var store = Store(("EMPTY", ""), ("BLANK", " \n"), ("PASTED", "sk-pasted\n"));

        Assert.Null(await store.GetSecretAsync("EMPTY", CancellationToken.None));
        Assert.Null(await store.GetSecretAsync("BLANK", CancellationToken.None));
        Assert.Equal("sk-pasted", await store.GetSecretAsync("PASTED", CancellationToken.None));
        Assert.Null(await store.GetSecretAsync("MISSING", CancellationToken.None));
    }

    [Fact]
    public async Task KeyVaultName_IsFoundUnderItsEnvironmentVariableSpelling()
    {
        Assert.Equal("sk-env", await Store(("OPENAI_API_KEY", "sk-env")).GetSecretAsync("openai-api-key", CancellationToken.None));
    }

    [Fact]
    public async Task KeyVaultName_FromARealEnvironmentVariable()
    {
        var name = $"synaxis-test-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(SecretNames.ToEnvironmentVariable(name), "sk-from-env");
        try
        {
            var store = new ConfigurationSecretStore(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal("sk-from-env", await store.GetSecretAsync(name, CancellationToken.None));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretNames.ToEnvironmentVariable(name), null);
        }
    }

    [Fact]
    public async Task ExactName_WinsOverTheEnvironmentSpelling_WhichWinsOverTheSection()
    {
        var all = Store(("openai-api-key", "exact"), ("OPENAI_API_KEY", "env"), ("Synaxis:Secrets:openai-api-key", "section"));
        var noExact = Store(("OPENAI_API_KEY", "env"), ("Synaxis:Secrets:openai-api-key", "section"));

        Assert.Equal("exact", await all.GetSecretAsync("openai-api-key", CancellationToken.None));
        Assert.Equal("env", await noExact.GetSecretAsync("openai-api-key", CancellationToken.None));
    }

    [Fact]
    public async Task Refresh_ReadsTheCurrentValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("OPENAI_API_KEY", (string?)"sk-old")]).Build();
        var store = new ConfigurationSecretStore(configuration);

        configuration["OPENAI_API_KEY"] = "sk-new";

        Assert.Equal("sk-new", await store.RefreshAsync("openai-api-key", CancellationToken.None));
    }

    [Theory]
    [InlineData("openai-api-key", "OPENAI_API_KEY")]
    [InlineData("synaxis-admin-key", "SYNAXIS_ADMIN_KEY")]
    [InlineData("GROQ_API_KEY", "GROQ_API_KEY")]
    public void EnvironmentSpelling_IsUpperCaseWithUnderscores(string name, string variable)
    {
        Assert.Equal(variable, SecretNames.ToEnvironmentVariable(name));
    }

    private static ConfigurationSecretStore Store(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());
}
