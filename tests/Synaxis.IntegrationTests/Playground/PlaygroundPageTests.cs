using System.Globalization;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>The playground page in headless Chromium against the real gateway: chat, streaming, per-answer stats.</summary>
public sealed class PlaygroundPageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Page_InChromium_StreamsTheAnswerAndShowsTokensTimingAndCost()
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());

        var (result, screenshot) = await PlaygroundGateway.RunPageScriptAsync(gateway.BaseUrl, "playground-chat.mjs", PlaygroundGateway.ClientKey, "playground-chat.png",
            new() { ["MODEL"] = "gpt-4", ["PROMPT"] = "Tell me a short story about a robot." }, output);
        Assert.Equal(200, result["status"]!.GetValue<int>());

        // The answer grew in the page token by token: many distinct states, each extending the one before.
        var states = result["states"]!.AsArray().Select(s => s!.GetValue<string>()).Where(s => s.Length > 0).ToList();
        output.WriteLine($"{states.Count} states of the answer observed");
        Assert.True(states.Count >= 10, $"only {states.Count} states of the answer were seen: {string.Join(" | ", states)}");
        for (var i = 1; i < states.Count; i++)
        {
            Assert.StartsWith(states[i - 1], states[i], StringComparison.Ordinal);
        }

        var answer = states[^1];
        Assert.StartsWith("Hello from the Synaxis mock model. You said: \"Tell me a short story about a robot.\"", answer, StringComparison.Ordinal);
        Assert.EndsWith("to get real answers.", answer, StringComparison.Ordinal);
        Assert.Equal("done", result["state"]!.GetValue<string>());

        // The stats are the gateway's usage, the page's own timing, and the catalog's prices.
        var stats = result["stats"]!;
        var prompt = int.Parse(stats["prompt-tokens"]!.GetValue<string>(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var completion = int.Parse(stats["completion-tokens"]!.GetValue<string>(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Contains(gateway.Logs.Lines, l => l.Contains($"completionTokens={completion} ", StringComparison.Ordinal));
        Assert.True(prompt > 0);
        var ttft = int.Parse(stats["ttft"]!.GetValue<string>().Replace(" ms", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.InRange(ttft, 150, 10_000); // the mock waits 200 ms before its first token
        var speed = double.Parse(stats["tokens-per-second"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(speed, 1, 1_000); // 30 ms a token: about 33 a second on an idle machine
        var expectedCost = ((prompt * PlaygroundGateway.InputPrice) + (completion * PlaygroundGateway.OutputPrice)) / 1_000_000m;
        var shownCost = stats["cost"]!.GetValue<string>();
        Assert.StartsWith("≈ $", shownCost, StringComparison.Ordinal);
        Assert.InRange(decimal.Parse(shownCost["≈ $".Length..], CultureInfo.InvariantCulture), expectedCost - 0.000001m, expectedCost + 0.000001m);
        Assert.Equal("complete", stats["state"]!.GetValue<string>());

        // The key lives in the tab's session storage and nowhere else.
        Assert.Equal(PlaygroundGateway.ClientKey, result["storage"]!["session"]!.GetValue<string>());
        Assert.Equal(0, result["storage"]!["localItems"]!.GetValue<int>());
        Assert.Equal("", result["storage"]!["cookies"]!.GetValue<string>());
        Assert.True(new FileInfo(screenshot).Length > 1000, "a screenshot was saved");
    }

    [Fact]
    public async Task Page_WhenRateLimited_ShowsTheErrorAndWhenToRetry()
    {
        // One attempt: the upstream's 429 reaches the page instead of being waited out by the gateway.
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:Routing:MaxAttempts"] = "1");
        test.Upstream.Behavior = Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after", "20"));

        var (result, _) = await PlaygroundGateway.RunPageScriptAsync(test.Gateway.BaseUrl, "playground-chat.mjs", GatewayUnderTest.ClientKey, "playground-429.png",
            new() { ["MODEL"] = "gpt-4", ["PROMPT"] = "Hello" }, output);
        Assert.Equal("failed", result["state"]!.GetValue<string>());
        var error = result["error"]!.GetValue<string>();
        output.WriteLine(error);
        Assert.StartsWith("429 ", error, StringComparison.Ordinal);
        Assert.EndsWith("Try again in 20 s.", error, StringComparison.Ordinal);
        Assert.Equal("—", result["stats"]!["completion-tokens"]!.GetValue<string>());
    }
}
