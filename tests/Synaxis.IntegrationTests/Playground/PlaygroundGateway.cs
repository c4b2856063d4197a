using System.Text.Json.Nodes;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>
/// A gateway for the page tests: one key, and the built-in mock model as <c>gpt-4</c>, priced, and paced slowly
/// enough that a browser sees its answer grow.
/// </summary>
public static class PlaygroundGateway
{
    public const string ClientKey = "sk-syn-playground-test-key-0123456789";

    public const decimal InputPrice = 2.5m;

    public const decimal OutputPrice = 10m;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Synaxis:ApiKeys:0"] = ClientKey,
        ["Synaxis:Models:0:Name"] = "gpt-4",
        ["Synaxis:Models:0:Provider"] = "mock",
        ["Synaxis:Models:0:InputPricePerMillion"] = "2.5",
        ["Synaxis:Models:0:OutputPricePerMillion"] = "10",
        ["Synaxis:Mock:FirstTokenDelay"] = "00:00:00.200",
        ["Synaxis:Mock:TokenDelay"] = "00:00:00.030",
    };

    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Opens the playground of <paramref name="gateway"/> in Chromium and runs <paramref name="script"/> (in this folder) on it
    /// with the key and <paramref name="more"/> settings; checks that it ran without problems and returns what it found
    /// (its last line of output) and where its screenshot is.
    /// </summary>
    public static async Task<(JsonNode Result, string Screenshot)> RunPageScriptAsync(
        Uri gateway, string script, string apiKey, string screenshotName, Dictionary<string, string> more, ITestOutputHelper output)
    {
        var screenshot = ScreenshotPath(screenshotName);
        var settings = new Dictionary<string, string>(more)
        {
            ["PAGE_URL"] = new Uri(gateway, "playground").ToString(),
            ["API_KEY"] = apiKey,
            ["SCREENSHOT"] = screenshot,
        };
        var run = await Chromium.RunScriptAsync("tests/Synaxis.IntegrationTests/Playground/" + script, settings, BrowserTimeout);
        output.WriteLine($"screenshot: {screenshot}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.Empty(result["problems"]!.AsArray());
        return (result, screenshot);
    }

    /// <summary>Where a test leaves its screenshots: <c>TestResults</c> beside the test assembly.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
