using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Hosting;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary>Issued keys at the front door: a key works once issued, stops at once when revoked, and forged ones never pass.</summary>
public sealed class IssuedKeyAuthenticationTests
{
    [Fact]
    public async Task IssuedKey_Works_ThenRevoked_Gets401KeyRevoked()
    {
        await using var test = await KeysGateway.StartAsync();
        var issued = await test.IssueAsync();
        var key = issued["key"]!.GetValue<string>();

        using (var ok = await test.ChatAsync(key))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var revoke = await test.AdminAsync(HttpMethod.Post, $"admin/keys/{issued["id"]}/revoke"))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.True(JsonNode.Parse(await revoke.Content.ReadAsStringAsync())!["revoked"]!.GetValue<bool>());
        }

        using var refused = await test.ChatAsync(key);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("key_revoked", (await KeysGateway.ErrorOf(refused))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task FloodOfForgedKeys_Gets503WithRetryAfter_OverTheLookupBudget_WhileKnownKeysWork()
    {
        await using var test = await KeysGateway.StartAsync(s => s["Synaxis:Billing:KeyLookupsPerSecond"] = "1");
        var key = (await test.IssueAsync())["key"]!.GetValue<string>(); // remembered at once by the instance that issued it

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var forged = await test.ChatAsync(ApiKeyFormat.Generate().Text);
            statuses.Add(forged.StatusCode);
            if (forged.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("key_check_busy", (await KeysGateway.ErrorOf(forged))["code"]!.GetValue<string>());
                Assert.Equal(TimeSpan.FromSeconds(1), forged.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.ServiceUnavailable) >= 10, string.Join(",", statuses));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.ServiceUnavailable, s.ToString()));
        using var ok = await test.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var configured = await test.ChatAsync("sk-configured-operator-key");
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
    }

    [Fact]
    public async Task DeleteIsASynonymForRevoke()
    {
        await using var test = await KeysGateway.StartAsync();
        var issued = await test.IssueAsync();

        using var deleted = await test.AdminAsync(HttpMethod.Delete, $"v1/admin/keys/{issued["id"]}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var refused = await test.ChatAsync(issued["key"]!.GetValue<string>());
        Assert.Equal("key_revoked", (await KeysGateway.ErrorOf(refused))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredKey_Gets401KeyExpired()
    {
        await using var test = await KeysGateway.StartAsync();
        var (id, text) = ApiKeyFormat.Generate();
        var key = new IssuedKey
        {
            Id = id, Owner = "acme", Prefix = ApiKeyFormat.DisplayPrefix(text), Hash = ApiKeyFormat.Hash(text),
            ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1), CreatedAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
        await test.Table("keys").AddEntityAsync(IssuedKeyRow.ToEntity(key));

        using var refused = await test.ChatAsync(text);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("key_expired", (await KeysGateway.ErrorOf(refused))["code"]!.GetValue<string>());
    }

    private static string[] ForgedKeys(string valid)
    {
        var id = valid[7..19];
        return
        [
            "sk-syn-" + id + new string('A', 32),                        // right id, wrong secret
            ApiKeyFormat.Generate().Text,                                 // random id
            valid[..^1],                                                  // truncated
            "sk-abc-" + valid[7..],                                       // wrong prefix
            valid + "A",                                                  // overlong
            valid[..^1] + "é",                                            // non-ASCII
            valid[..^2] + "💥",                                           // non-BMP
            "sk-syn-" + id,                                               // id part only
        ];
    }

    [Fact]
    public async Task ForgedKeys_AllGet401InvalidApiKey_WithTheConfiguredKeysMessage()
    {
        await using var test = await KeysGateway.StartAsync();
        var valid = (await test.IssueAsync())["key"]!.GetValue<string>();
        using var configuredRefusal = await test.ChatAsync("sk-not-a-configured-key");
        var expected = await KeysGateway.ErrorOf(configuredRefusal);

        foreach (var forged in ForgedKeys(valid))
        {
            using var refused = await test.ChatAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var error = await KeysGateway.ErrorOf(refused);
            Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
            Assert.Equal(expected["message"]!.GetValue<string>(), error["message"]!.GetValue<string>());
        }

        using var stillValid = await test.ChatAsync(valid);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Fact]
    public async Task ConfiguredKeys_KeepWorking_BesideIssuedKeys()
    {
        await using var test = await KeysGateway.StartAsync();
        await test.IssueAsync();

        using var ok = await test.ChatAsync("sk-configured-operator-key");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var none = await test.ChatAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Models_ForAnIssuedKey_ListOnlyItsAllowedModels()
    {
        await using var test = await KeysGateway.StartAsync();
        var key = (await test.IssueAsync("""{"owner":"acme","allowed_models":["gpt-4o"]}"""))["key"]!.GetValue<string>();

        using var list = await test.GetAsync("v1/models", key);
        var ids = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>());
        Assert.Equal(["gpt-4"], ids);
        using var hidden = await test.GetAsync("v1/models/gpt-3.5-turbo", key);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var forbidden = await test.ChatAsync(key, "gpt-3.5-turbo");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task LocalGatewayWithoutConfiguredKeys_IsOpenUntilTheFirstKeyIsIssued()
    {
        await using var test = await KeysGateway.StartAsync(settings => settings.Remove("Synaxis:ApiKeys:0"));

        using (var open = await test.ChatAsync(null))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        var key = (await test.IssueAsync())["key"]!.GetValue<string>();

        using var closed = await test.ChatAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        using var anyKey = await test.ChatAsync("sk-anything");
        Assert.Equal(HttpStatusCode.Unauthorized, anyKey.StatusCode);
        using var issued = await test.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
    }

    [Fact]
    public async Task InAzureWithBilling_NoConfiguredKeys_IsNeverOpen_EvenWithAllowAnonymous()
    {
        await using var test = await KeysGateway.StartAsync(
            settings =>
            {
                settings.Remove("Synaxis:ApiKeys:0");
                settings["Synaxis:AllowAnonymous"] = "true";
            },
            configure: builder => builder.Services.AddSingleton<IHostEnvironmentInfo>(new AzureEnvironment()));

        using var anonymous = await test.ChatAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var anyKey = await test.ChatAsync("sk-anything");
        Assert.Equal(HttpStatusCode.Unauthorized, anyKey.StatusCode);
        var key = (await test.IssueAsync())["key"]!.GetValue<string>();
        using var issued = await test.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
    }

    private sealed class AzureEnvironment : IHostEnvironmentInfo
    {
        public bool IsAzure => true;
    }
}
