using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Hosting;

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

    private static ConfiguredApiKeys With(params string[] keys) =>
        new(Options.Create(new GatewayOptions { ApiKeys = [.. keys] }));
}
