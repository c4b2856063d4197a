using System.Net;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary>The key check on the hot path needs no storage: a cached key keeps working with its storage gone.</summary>
public sealed class KeyCacheTests
{
    [Fact]
    public async Task CachedKey_AuthenticatesWithStorageStopped_AndAMissGets503BillingUnavailable()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var test = await KeysGateway.StartAsync(azurite: azurite);
        var key = (await test.IssueAsync())["key"]!.GetValue<string>();
        var forgedOfAnotherId = Synaxis.Gateway.Billing.Keys.ApiKeyFormat.Generate().Text;

        await azurite.DisposeAsync();

        for (var i = 0; i < 50; i++)
        {
            using var models = await test.GetAsync("v1/models", key);
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        }

        using var miss = await test.GetAsync("v1/models", forgedOfAnotherId);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, miss.StatusCode);
        Assert.Equal("billing_unavailable", (await KeysGateway.ErrorOf(miss))["code"]!.GetValue<string>());
        Assert.NotNull(miss.Headers.RetryAfter);
    }
}
