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

    /// <summary>Where a test leaves its screenshots: <c>TestResults</c> beside the test assembly.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
