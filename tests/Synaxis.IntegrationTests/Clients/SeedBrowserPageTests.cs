using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Playground;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// The seed's browser example, changed only in URL and key, served from another origin than the gateway and run
/// in headless Chromium: the cross-origin call works because, and only when, the gateway's CORS allows the origin.
/// </summary>
public sealed class SeedBrowserPageTests(ITestOutputHelper output)
{
    private const string Message = "Tell me a short story about a robot.";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SeedBrowserPage_FromAnAllowedOrigin_StreamsTheAnswer()
    {
        await using var site = await StaticSite.StartAsync();
        var settings = PlaygroundGateway.Settings();
        settings["Synaxis:CorsOrigins:0"] = site.Origin;
        await using var gateway = await GatewayServer.StartAsync(settings);
        site.Html = SeedPage(gateway);

        var (result, states) = await OpenAsync(site);

        Assert.Empty(result["problems"]!.AsArray());
        Assert.Equal(200, result["status"]!.GetValue<int>());
        var answer = states[^1];
        Assert.StartsWith($"Hello from the Synaxis mock model. You said: \"{Message}\"", answer, StringComparison.Ordinal);
        Assert.EndsWith("to get real answers.", answer, StringComparison.Ordinal);
        // Streamed, not delivered whole: the page showed the answer growing.
        var growing = states.Where(s => s.StartsWith("Hello", StringComparison.Ordinal)).ToList();
        Assert.True(growing.Count >= 10, $"only {growing.Count} states of the answer were seen");
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("/v1/chat/completions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeedBrowserPage_FromAnOriginNotAllowed_IsRefusedByTheBrowser()
    {
        await using var site = await StaticSite.StartAsync();
        var settings = PlaygroundGateway.Settings();
        settings["Synaxis:CorsOrigins:0"] = "https://chat.example.com";
        await using var gateway = await GatewayServer.StartAsync(settings);
        site.Html = SeedPage(gateway);

        var (result, states) = await OpenAsync(site);

        Assert.StartsWith("Error: ", states[^1], StringComparison.Ordinal);
        Assert.Contains(result["problems"]!.AsArray(), p => p!.GetValue<string>().Contains("CORS policy", StringComparison.Ordinal));
    }

    private static string SeedPage(GatewayServer gateway) =>
        SeedScript.Adapt(SeedScript.Extract("Browser Example", "html"), gateway.BaseUrl, PlaygroundGateway.ClientKey);

    private async Task<(JsonNode Result, List<string> States)> OpenAsync(StaticSite site)
    {
        var run = await Chromium.RunScriptAsync("tests/Synaxis.IntegrationTests/Playground/seed-page.mjs", new Dictionary<string, string>
        {
            ["PAGE_URL"] = site.BaseUrl.ToString(),
            ["MESSAGE"] = Message,
            ["ANSWER_ENDS_WITH"] = "to get real answers.",
        }, BrowserTimeout);
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        var states = result["states"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        output.WriteLine($"{states.Count} states; last: {states[^1]}");
        foreach (var problem in result["problems"]!.AsArray())
        {
            output.WriteLine(problem!.GetValue<string>());
        }

        return (result, states);
    }
}
