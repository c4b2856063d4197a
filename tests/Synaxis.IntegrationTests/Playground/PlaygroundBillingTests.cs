using System.Globalization;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.IntegrationTests.Billing.Keys;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>The playground's usage view in headless Chromium against the real <c>GET /v1/usage</c> on Azurite.</summary>
public sealed class PlaygroundBillingTests(ITestOutputHelper output)
{
    private static UsageRecord Call(string keyId, string requestId, string started, string model, decimal cost, int prompt, int completion) => new()
    {
        RequestId = requestId, KeyId = keyId, Model = model, Deployment = model,
        StartedAt = DateTimeOffset.Parse(started, CultureInfo.InvariantCulture),
        State = UsageState.Settled, PromptTokens = prompt, CompletionTokens = completion, CachedTokens = 0, Cost = cost,
        Status = 200, Streamed = true, TimeToFirstTokenMs = 10, DurationMs = 100,
    };

    [Fact]
    public async Task UsageView_ShowsTheIssuedKeysUsageAndBalance_FromTheLedger()
    {
        await using var test = await KeysGateway.StartAsync();
        var created = await test.IssueAsync("""{"owner":"acme","credit":5,"monthly_budget":10}""");
        var id = created["id"]!.GetValue<string>();
        var usage = test.Table("usage");
        await usage.AddEntityAsync(Call(id, "req_1", "2026-11-20T08:00:00Z", "gpt-4", 0.004m, 100, 300).ToEntity());
        await usage.AddEntityAsync(Call(id, "req_2", "2026-11-21T09:00:00Z", "gpt-4", 0.01m, 200, 800).ToEntity());
        await usage.AddEntityAsync(Call(id, "req_3", "2026-11-24T23:59:59Z", "gpt-3.5-turbo", 0.0005m, 50, 50).ToEntity());
        var balance = new KeyBalance { KeyId = id, Credit = 5m, Spent = 0.5m, Month = KeyBalance.MonthOf(DateTimeOffset.UtcNow), MonthSpent = 0.5m };
        await test.Table("counters").UpsertEntityAsync(balance.ToEntity());

        var (result, _) = await PlaygroundGateway.RunPageScriptAsync(test.Gateway.BaseUrl, "playground-usage.mjs", created["key"]!.GetValue<string>(), "playground-usage-billing.png",
            new() { ["START"] = "2026-11-20", ["END"] = "2026-11-24" }, output);
        Assert.StartsWith("Could not load usage: 401 ", result["withoutKey"]!.GetValue<string>(), StringComparison.Ordinal);
        var view = result["tokens"]!;
        Assert.Equal($"Key {id}", view["status"]!.GetValue<string>());
        Assert.Equal("3", view["totals"]!["usage-requests"]!.GetValue<string>());
        Assert.Equal("$0.0145", view["totals"]!["usage-cost"]!.GetValue<string>());
        Assert.Equal("$4.50", view["totals"]!["usage-credit"]!.GetValue<string>());
        Assert.Equal("$10.00", view["totals"]!["usage-budget"]!.GetValue<string>());
        Assert.Equal(
            ["gpt-3.5-turbo | 1 | 50 | 50 | 0 | $0.0005", "gpt-4 | 2 | 300 | 1,100 | 0 | $0.014"],
            view["models"]!.AsArray().Select(r => string.Join(" | ", r!.AsArray().Select(c => c!.GetValue<string>()))).Order());
        Assert.Equal([400d, 1000, 0, 0, 100], view["bars"]!.AsArray().Select(b => b!["value"]!.GetValue<double>()));
    }
}
