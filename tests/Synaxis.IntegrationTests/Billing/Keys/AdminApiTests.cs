using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary>The admin API: only the admin key gets in, every field is checked, and the key text is shown once only.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task Create_ReturnsKeyOnce_WithLimits_AndGetShowsViewAndBalance()
    {
        await using var test = await KeysGateway.StartAsync();
        var created = await test.IssueAsync("""
            {"owner":"acme","name":"ci","allowed_models":["gpt-4o","gpt-3.5-turbo"],"requests_per_minute":60,
             "tokens_per_minute":100000,"credit":5.5,"monthly_budget":10,"expires_at":"2099-01-31T00:00:00Z"}
            """);

        var key = created["key"]!.GetValue<string>();
        Assert.Matches("^sk-syn-[A-Za-z0-9]{44}$", key);
        Assert.Equal("key_" + key[7..19], created["id"]!.GetValue<string>());
        Assert.Equal(key[..14] + "…", created["prefix"]!.GetValue<string>());
        Assert.Equal(["gpt-4", "gpt-3.5-turbo"], created["allowed_models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.True(created["prepaid"]!.GetValue<bool>());
        Assert.Equal(5.5m, created["balance"]!["credit_remaining"]!.GetValue<decimal>());

        using var get = await test.AdminAsync(HttpMethod.Get, $"admin/keys/{created["id"]}");
        var view = JsonNode.Parse(await get.Content.ReadAsStringAsync())!;
        Assert.Null(view["key"]);
        Assert.Null(view["hash"]);
        Assert.Equal(60, view["requests_per_minute"]!.GetValue<int>());
        Assert.Equal(10m, view["monthly_budget"]!.GetValue<decimal>());
        Assert.Equal("2099-01-31T00:00:00Z", view["expires_at"]!.GetValue<string>());
        Assert.Equal(5.5m, view["balance"]!["credit_remaining"]!.GetValue<decimal>());
        Assert.Equal(0m, view["balance"]!["month_spent"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task KeyText_IsNeverInListOrGet_NorInAnyTableRow()
    {
        await using var test = await KeysGateway.StartAsync();
        var created = await test.IssueAsync("""{"owner":"acme","credit":1}""");
        var key = created["key"]!.GetValue<string>();
        var secret = key[19..];

        using var list = await test.AdminAsync(HttpMethod.Get, "admin/keys?owner=acme");
        var listed = await list.Content.ReadAsStringAsync();
        using var get = await test.AdminAsync(HttpMethod.Get, $"admin/keys/{created["id"]}");
        var shown = await get.Content.ReadAsStringAsync();
        Assert.Contains(created["id"]!.GetValue<string>(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);

        using (await test.ChatAsync(key))
        {
        }

        var rows = 0;
        foreach (var table in new[] { "keys", "usage", "counters" })
        {
            await foreach (var row in test.Table(table).QueryAsync<TableEntity>())
            {
                rows++;
                foreach (var (name, value) in row)
                {
                    Assert.DoesNotContain(secret, value?.ToString() ?? string.Empty, StringComparison.Ordinal);
                    Assert.DoesNotContain(secret, name, StringComparison.Ordinal);
                }

                Assert.DoesNotContain(secret, row.PartitionKey + row.RowKey, StringComparison.Ordinal);
            }
        }

        Assert.True(rows >= 2, "the key row and its balance row were scanned");
        Assert.DoesNotContain(test.Gateway.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_FiltersByOwner()
    {
        await using var test = await KeysGateway.StartAsync();
        await test.IssueAsync("""{"owner":"acme"}""");
        await test.IssueAsync("""{"owner":"globex"}""");

        using var list = await test.AdminAsync(HttpMethod.Get, "admin/keys?owner=globex");
        var data = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["data"]!.AsArray();
        Assert.Equal(["globex"], data.Select(k => k!["owner"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Patch_ChangesOnlyGivenFields_AndNullClearsALimit()
    {
        await using var test = await KeysGateway.StartAsync();
        var id = (await test.IssueAsync("""{"owner":"acme","requests_per_minute":5,"monthly_budget":3}"""))["id"]!.GetValue<string>();

        using var patch = await test.AdminAsync(HttpMethod.Patch, $"admin/keys/{id}", """{"requests_per_minute":null,"name":"prod"}""");
        var view = JsonNode.Parse(await patch.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Null(view["requests_per_minute"]);
        Assert.Equal(3m, view["monthly_budget"]!.GetValue<decimal>());
        Assert.Equal("prod", view["name"]!.GetValue<string>());
        Assert.Equal("acme", view["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParallelTopUps_SumExactly_AndMakeTheKeyPrepaid()
    {
        await using var test = await KeysGateway.StartAsync();
        var id = (await test.IssueAsync())["id"]!.GetValue<string>();

        var topUps = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await test.AdminAsync(HttpMethod.Post, $"admin/keys/{id}/credit", """{"amount":0.1}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        await Task.WhenAll(topUps);

        using var get = await test.AdminAsync(HttpMethod.Get, $"admin/keys/{id}");
        var view = JsonNode.Parse(await get.Content.ReadAsStringAsync())!;
        Assert.True(view["prepaid"]!.GetValue<bool>());
        Assert.Equal("2", view["balance"]!["credit_remaining"]!.ToJsonString());
    }

    public static TheoryData<string, string, string> BadCreates => new()
    {
        { """{"name":"x"}""", "owner", "missing_required_parameter" },
        { """{"owner":""}""", "owner", "invalid_value" },
        { """{"owner":42}""", "owner", "invalid_type" },
        { """{"owner":"a","colour":"red"}""", "colour", "unknown_parameter" },
        { """{"owner":"a","requests_per_minute":1.5}""", "requests_per_minute", "invalid_type" },
        { """{"owner":"a","requests_per_minute":"60"}""", "requests_per_minute", "invalid_type" },
        { """{"owner":"a","tokens_per_minute":0}""", "tokens_per_minute", "invalid_value" },
        { """{"owner":"a","tokens_per_minute":99999999999}""", "tokens_per_minute", "invalid_value" },
        { """{"owner":"a","credit":-1}""", "credit", "invalid_value" },
        { """{"owner":"a","credit":0}""", "credit", "invalid_value" },
        { """{"owner":"a","credit":1e30}""", "credit", "invalid_value" },
        { """{"owner":"a","credit":"5"}""", "credit", "invalid_type" },
        { """{"owner":"a","monthly_budget":-3}""", "monthly_budget", "invalid_value" },
        { """{"owner":"a","expires_at":"tomorrow"}""", "expires_at", "invalid_value" },
        { """{"owner":"a","expires_at":"2001-01-01T00:00:00Z"}""", "expires_at", "invalid_value" },
        { """{"owner":"a","allowed_models":"gpt-4"}""", "allowed_models", "invalid_type" },
        { """{"owner":"a","allowed_models":["gpt-4","no-such-model"]}""", "allowed_models[1]", "invalid_value" },
        { """{"owner":"a","allowed_models":[4]}""", "allowed_models[0]", "invalid_type" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Create_WithBadField_Gets400NamingIt(string body, string param, string code)
    {
        await using var test = await KeysGateway.StartAsync();

        using var response = await test.AdminAsync(HttpMethod.Post, "admin/keys", body);
        var error = await KeysGateway.ErrorOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"owner\":", "invalid_json")]
    [InlineData("[1,2]", null)]
    [InlineData("", null)]
    public async Task Create_WithMalformedBody_Gets400(string body, string? code)
    {
        await using var test = await KeysGateway.StartAsync();

        using var response = await test.AdminAsync(HttpMethod.Post, "admin/keys", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await KeysGateway.ErrorOf(response))["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task Create_WithHugeBody_Gets413()
    {
        await using var test = await KeysGateway.StartAsync();

        using var response = await test.AdminAsync(HttpMethod.Post, "admin/keys", "{\"owner\":\"" + new string('a', 100_000) + "\"}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"amount":0}""", "invalid_value")]
    [InlineData("""{"amount":-5}""", "invalid_value")]
    [InlineData("""{"amount":2000000}""", "invalid_value")]
    [InlineData("""{"amount":"5"}""", "invalid_type")]
    [InlineData("""{}""", "missing_required_parameter")]
    [InlineData("""{"amount":5,"currency":"EUR"}""", "unknown_parameter")]
    public async Task Credit_WithBadAmount_Gets400(string body, string code)
    {
        await using var test = await KeysGateway.StartAsync();
        var id = (await test.IssueAsync())["id"]!.GetValue<string>();

        using var response = await test.AdminAsync(HttpMethod.Post, $"admin/keys/{id}/credit", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await KeysGateway.ErrorOf(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownKeyId_Gets404_AndAMalformedIdIsNotEchoed()
    {
        await using var test = await KeysGateway.StartAsync();

        using var unknown = await test.AdminAsync(HttpMethod.Get, "admin/keys/key_AAAAAAAAAAAA");
        using var pasted = await test.AdminAsync(HttpMethod.Post, "admin/keys/sk-syn-secretlookingthing/revoke");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pasted.StatusCode);
        Assert.DoesNotContain("secretlookingthing", await pasted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-admin-key")]
    [InlineData("sk-configured-operator-key")]
    public async Task AdminApi_WithoutTheAdminKey_Gets401_OnEveryRoute(string? adminKey)
    {
        await using var test = await KeysGateway.StartAsync();
        var id = (await test.IssueAsync())["id"]!.GetValue<string>();

        foreach (var (method, path, body) in Routes(id))
        {
            using var response = await test.AdminAsync(method, path, body, adminKey);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var still = await test.AdminAsync(HttpMethod.Get, $"admin/keys/{id}");
        Assert.False(JsonNode.Parse(await still.Content.ReadAsStringAsync())!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AdminApi_WithoutAnAdminKeySecret_RefusesEverything()
    {
        await using var test = await KeysGateway.StartAsync(settings => settings.Remove("synaxis-admin-key"));

        foreach (var (method, path, body) in Routes("key_AAAAAAAAAAAA"))
        {
            using var response = await test.AdminAsync(method, path, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = await KeysGateway.ErrorOf(response);
            Assert.Equal("admin_key_not_configured", error["code"]!.GetValue<string>());
            Assert.Contains("synaxis-admin-key", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<(HttpMethod, string, string?)> Routes(string id)
    {
        foreach (var prefix in new[] { "admin", "v1/admin" })
        {
            yield return (HttpMethod.Post, $"{prefix}/keys", """{"owner":"x"}""");
            yield return (HttpMethod.Get, $"{prefix}/keys", null);
            yield return (HttpMethod.Get, $"{prefix}/keys/{id}", null);
            yield return (HttpMethod.Patch, $"{prefix}/keys/{id}", """{"name":"y"}""");
            yield return (HttpMethod.Post, $"{prefix}/keys/{id}/credit", """{"amount":1}""");
            yield return (HttpMethod.Post, $"{prefix}/keys/{id}/revoke", null);
            yield return (HttpMethod.Delete, $"{prefix}/keys/{id}", null);
            yield return (HttpMethod.Get, $"{prefix}/usage", null);
        }
    }
}
