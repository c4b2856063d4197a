using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary><c>GET /v1/usage</c> and <c>GET /admin/usage</c> over usage rows written straight into the usage table.</summary>
public sealed class UsageApiTests
{
    private static UsageRecord Record(string keyId, string requestId, string started, string model, decimal cost,
        int prompt = 10, int completion = 5, int status = 200, bool aborted = false) => new()
    {
        RequestId = requestId, KeyId = keyId, Model = model, Deployment = model + "-eastus",
        StartedAt = DateTimeOffset.Parse(started, System.Globalization.CultureInfo.InvariantCulture),
        State = UsageState.Settled, PromptTokens = prompt, CompletionTokens = completion, CachedTokens = 2, Cost = cost,
        Status = status, Streamed = true, Aborted = aborted, TimeToFirstTokenMs = 12.5, DurationMs = 300,
    };

    private static async Task<(KeysGateway Test, string Key, string Id)> SeededAsync()
    {
        var test = await KeysGateway.StartAsync();
        var created = await test.IssueAsync("""{"owner":"acme","credit":5,"monthly_budget":10}""");
        var id = created["id"]!.GetValue<string>();
        var usage = test.Table("usage");
        await usage.AddEntityAsync(Record(id, "req_1", "2026-11-01T08:00:00Z", "gpt-4", 0.1m).ToEntity());
        await usage.AddEntityAsync(Record(id, "req_2", "2026-11-01T09:00:00Z", "gpt-3.5-turbo", 0.0001m, status: 500).ToEntity());
        await usage.AddEntityAsync(Record(id, "req_3", "2026-11-24T23:59:59Z", "gpt-4", 0.2m, aborted: true, status: 200).ToEntity());
        await usage.AddEntityAsync(Record(id, "req_4", "2026-12-01T00:00:00Z", "gpt-4", 9m).ToEntity()); // outside the range
        await usage.AddEntityAsync(Record("configured", "req_5", "2026-11-02T00:00:00Z", "gpt-4", 1m).ToEntity());
        var balance = new KeyBalance { KeyId = id, Credit = 5m, Spent = 0.5m, Month = KeyBalance.MonthOf(DateTimeOffset.UtcNow), MonthSpent = 0.5m };
        await test.Table("counters").UpsertEntityAsync(balance.ToEntity());
        return (test, created["key"]!.GetValue<string>(), id);
    }

    [Fact]
    public async Task Usage_Json_TotalsDaysModelsAndBalance_ForTheCallingKey()
    {
        var (test, key, id) = await SeededAsync();
        await using var _ = test;

        using var response = await test.GetAsync("v1/usage?start=2026-11-01&end=2026-11-30", key);
        var body = await response.Content.ReadAsStringAsync();
        var usage = JsonNode.Parse(body)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("usage", usage["object"]!.GetValue<string>());
        Assert.Equal(id, usage["key_id"]!.GetValue<string>());
        Assert.Equal("2026-11-01", usage["start"]!.GetValue<string>());
        Assert.Equal("USD", usage["currency"]!.GetValue<string>());
        var totals = usage["totals"]!;
        Assert.Equal(3, totals["requests"]!.GetValue<int>());
        Assert.Equal(1, totals["failed_requests"]!.GetValue<int>());
        Assert.Equal(1, totals["aborted_requests"]!.GetValue<int>());
        Assert.Equal(30, totals["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(6, totals["cached_tokens"]!.GetValue<int>());
        Assert.Equal("0.3001", totals["cost"]!.ToJsonString());
        Assert.Equal(["2026-11-01", "2026-11-24"], usage["days"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
        Assert.Equal(["gpt-3.5-turbo", "gpt-4"], usage["models"]!.AsArray().Select(d => d!["model"]!.GetValue<string>()));
        Assert.Equal("0.3", usage["models"]![1]!["cost"]!.ToJsonString());
        Assert.Equal("4.5", usage["balance"]!["credit_remaining"]!.ToJsonString());
        Assert.Equal("0.5", usage["balance"]!["month_spent"]!.ToJsonString());
        Assert.Equal("10", usage["balance"]!["monthly_budget"]!.ToJsonString());
    }

    [Fact]
    public async Task Balance_WhileAnInstanceHoldsALease_StillShowsTheCreditNotSpent()
    {
        var (test, key, id) = await SeededAsync();
        await using var _ = test;
        // An instance serving the key holds 2.0 of the credit for calls in flight and calls to come.
        var leased = new KeyBalance { KeyId = id, Credit = 5m, Spent = 0.5m, Leased = 2m, Month = KeyBalance.MonthOf(DateTimeOffset.UtcNow), MonthSpent = 0.5m };
        await test.Table("counters").UpsertEntityAsync(leased.ToEntity());

        var usage = JsonNode.Parse(await (await test.GetAsync("v1/usage", key)).Content.ReadAsStringAsync())!;
        var view = JsonNode.Parse(await (await test.AdminAsync(HttpMethod.Get, "admin/keys/" + id)).Content.ReadAsStringAsync())!;

        Assert.Equal("4.5", usage["balance"]!["credit_remaining"]!.ToJsonString());
        Assert.Equal("4.5", view["balance"]!["credit_remaining"]!.ToJsonString());
    }

    [Fact]
    public async Task Usage_Csv_OneRowPerCall()
    {
        var (test, key, _) = await SeededAsync();
        await using var _ = test;

        using var response = await test.GetAsync("v1/usage?start=2026-11-01&end=2026-11-30&format=csv", key);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("request_id,started_at,model,deployment,state,status,streamed,aborted,prompt_tokens,completion_tokens,cached_tokens,cost,ttft_ms,duration_ms", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains("req_1,2026-11-01T08:00:00.000Z,gpt-4,gpt-4-eastus,settled,200,true,false,10,5,2,0.1,12.5,300", lines);
        Assert.Contains(lines, line => line.StartsWith("req_2,", StringComparison.Ordinal) && line.Contains(",0.0001,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Usage_ForAConfiguredKey_HasNoBalance_AndAcceptHeaderAsksForCsv()
    {
        var (test, _, _) = await SeededAsync();
        await using var _ = test;

        using var json = await test.GetAsync("v1/usage?start=2026-11-01&end=2026-11-30", "sk-configured-operator-key");
        var usage = JsonNode.Parse(await json.Content.ReadAsStringAsync())!;
        Assert.Equal("configured", usage["key_id"]!.GetValue<string>());
        Assert.Equal(1, usage["totals"]!["requests"]!.GetValue<int>());
        Assert.Null(usage["balance"]);

        var request = new HttpRequestMessage(HttpMethod.Get, "v1/usage?start=2026-11-01&end=2026-11-30");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-configured-operator-key");
        request.Headers.TryAddWithoutValidation("Accept", "text/csv");
        using var csv = await test.Http.SendAsync(request);
        Assert.StartsWith("request_id,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start=2026-13-01", "start")]
    [InlineData("start=01/11/2026", "start")]
    [InlineData("end=yesterday", "end")]
    [InlineData("start=2026-11-10&end=2026-11-01", "end")]
    [InlineData("start=2025-01-01&end=2026-01-02", "end")]
    [InlineData("format=xml", "format")]
    public async Task Usage_WithBadQuery_Gets400NamingTheParameter(string query, string param)
    {
        var (test, key, _) = await SeededAsync();
        await using var _ = test;

        using var response = await test.GetAsync("v1/usage?" + query, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await KeysGateway.ErrorOf(response))["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_WithoutAKey_Gets401()
    {
        var (test, _, _) = await SeededAsync();
        await using var _ = test;

        using var response = await test.GetAsync("v1/usage", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminUsage_TotalsPerKey_FilterByKey_AndCsv()
    {
        var (test, _, id) = await SeededAsync();
        await using var _ = test;

        using var all = await test.AdminAsync(HttpMethod.Get, "admin/usage?start=2026-11-01&end=2026-11-30");
        var usage = JsonNode.Parse(await all.Content.ReadAsStringAsync())!;
        Assert.Equal(4, usage["totals"]!["requests"]!.GetValue<int>());
        Assert.Equal("1.3001", usage["totals"]!["cost"]!.ToJsonString());
        var keys = usage["keys"]!.AsArray();
        Assert.Equal([id, "configured"], keys.Select(k => k!["key_id"]!.GetValue<string>()));
        Assert.Equal("acme", keys[0]!["owner"]!.GetValue<string>());

        using var one = await test.AdminAsync(HttpMethod.Get, $"v1/admin/usage?start=2026-11-01&end=2026-11-30&key_id={id}");
        Assert.Equal(3, JsonNode.Parse(await one.Content.ReadAsStringAsync())!["totals"]!["requests"]!.GetValue<int>());

        using var csv = await test.AdminAsync(HttpMethod.Get, "admin/usage?start=2026-11-01&end=2026-11-30&format=csv");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.StartsWith("key_id,request_id,started_at,", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, line => line.StartsWith("configured,req_5,", StringComparison.Ordinal));

        using var bad = await test.AdminAsync(HttpMethod.Get, "admin/usage?key_id=somebody");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
