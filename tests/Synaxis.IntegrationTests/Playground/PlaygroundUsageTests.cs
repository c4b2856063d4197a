using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>The playground's usage view in headless Chromium: totals, the per-model table and the per-day chart.</summary>
public sealed class PlaygroundUsageTests(ITestOutputHelper output)
{
    // The documented answer of GET /v1/usage; 2026-11-22 had no calls and is absent, as the endpoint leaves it.
    private const string Usage = """
        {"object":"usage","key_id":"key_AbCdEfGhIjKl","start":"2026-11-20","end":"2026-11-24","currency":"USD",
         "totals":{"requests":7,"failed_requests":1,"aborted_requests":2,"prompt_tokens":1200,"completion_tokens":3400,"cached_tokens":100,"cost":0.0371},
         "days":[{"date":"2026-11-20","requests":2,"prompt_tokens":200,"completion_tokens":400,"cached_tokens":0,"cost":0.0045},
                 {"date":"2026-11-21","requests":4,"prompt_tokens":900,"completion_tokens":2800,"cached_tokens":100,"cost":0.0301},
                 {"date":"2026-11-24","requests":1,"prompt_tokens":100,"completion_tokens":200,"cached_tokens":0,"cost":0.0025}],
         "models":[{"model":"gpt-4","requests":6,"prompt_tokens":1100,"completion_tokens":3200,"cached_tokens":100,"cost":0.0346},
                   {"model":"claude-sonnet","requests":1,"prompt_tokens":100,"completion_tokens":200,"cached_tokens":0,"cost":0.0025}],
         "balance":{"credit_remaining":4.5,"month_spent":0.5,"monthly_budget":10}}
        """;

    [Fact]
    public async Task UsageView_ShowsTotalsModelsAndADayByDayChart_ForTheSessionKey()
    {
        var stub = new UsageStub(PlaygroundGateway.ClientKey, Usage);
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings(), b => b.Services.AddSingleton<IStartupFilter>(stub));

        var (result, _) = await PlaygroundGateway.RunPageScriptAsync(gateway.BaseUrl, "playground-usage.mjs", PlaygroundGateway.ClientKey, "playground-usage.png",
            new() { ["START"] = "2026-11-20", ["END"] = "2026-11-24" }, output);
        Assert.Equal("Could not load usage: 401 invalid_api_key: Incorrect API key provided. Check the API key.", result["withoutKey"]!.GetValue<string>());
        Assert.Equal("?start=2026-11-20&end=2026-11-24", Assert.Single(stub.Queries));

        var view = result["tokens"]!;
        var totals = view["totals"]!;
        Assert.Equal("7", totals["usage-requests"]!.GetValue<string>());
        Assert.Equal("1", totals["usage-failed"]!.GetValue<string>());
        Assert.Equal("2", totals["usage-aborted"]!.GetValue<string>());
        Assert.Equal("1,200", totals["usage-prompt-tokens"]!.GetValue<string>());
        Assert.Equal("3,400", totals["usage-completion-tokens"]!.GetValue<string>());
        Assert.Equal("$0.0371", totals["usage-cost"]!.GetValue<string>());
        Assert.Equal("$4.50", totals["usage-credit"]!.GetValue<string>());
        Assert.Equal("$10.00", totals["usage-budget"]!.GetValue<string>());
        Assert.Equal("Key key_AbCdEfGhIjKl", view["status"]!.GetValue<string>());

        Assert.Equal(
            ["gpt-4 | 6 | 1,100 | 3,200 | 100 | $0.0346", "claude-sonnet | 1 | 100 | 200 | 0 | $0.0025"],
            view["models"]!.AsArray().Select(r => string.Join(" | ", r!.AsArray().Select(c => c!.GetValue<string>()))));

        // One bar a day of the period, a day without calls at zero, heights in proportion to the values.
        var bars = view["bars"]!.AsArray();
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"], bars.Select(b => b!["date"]!.GetValue<string>()));
        Assert.Equal([600d, 3700, 0, 0, 300], bars.Select(b => b!["value"]!.GetValue<double>()));
        var heights = bars.Select(b => b!["height"]!.GetValue<double>()).ToList();
        Assert.Equal(600d / 3700, heights[0] / heights[1], 2);
        Assert.Equal(0, heights[2]);
        Assert.Equal("2026-11-21: 3,700 tokens", bars[1]!["title"]!.GetValue<string>());

        var costBars = result["cost"]!["bars"]!.AsArray();
        Assert.Equal([0.0045, 0.0301, 0, 0, 0.0025], costBars.Select(b => b!["value"]!.GetValue<double>()));
    }
}
