using System.Diagnostics;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// Takes a JavaScript example out of the seed document (<c>shared/seed/streaming-javascript.md</c>) as it
/// stands, changes only its URL and key, and runs it with node.
/// </summary>
public static class SeedScript
{
    private const string SeedUrl = "const API_URL = 'http://localhost:8080';";
    private const string SeedKey = "const API_KEY = 'sk-your-openai-key';";

    /// <summary>The first code block of <paramref name="language"/> under the heading (the browser example is <c>html</c>).</summary>
    public static string Extract(string heading, string language = "javascript")
    {
        var seed = File.ReadAllText(Path.Combine(Fixtures.SharedDirectory, "seed", "streaming-javascript.md"));
        var section = seed.IndexOf("## " + heading + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"the seed has a section '{heading}'");
        var fence = "```" + language + "\n";
        var start = seed.IndexOf(fence, section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"the seed's section '{heading}' has a {language} block");
        start += fence.Length;
        var end = seed.IndexOf("```", start, StringComparison.Ordinal);
        return seed[start..end];
    }

    /// <summary>The example with the gateway's URL and a key in place of the seed's; nothing else changes.</summary>
    public static string Adapt(string script, Uri gateway, string key)
    {
        Assert.Equal(1, Occurrences(script, SeedUrl));
        Assert.Equal(1, Occurrences(script, SeedKey));
        return script
            .Replace(SeedUrl, $"const API_URL = '{gateway.ToString().TrimEnd('/')}';", StringComparison.Ordinal)
            .Replace(SeedKey, $"const API_KEY = '{key}';", StringComparison.Ordinal);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string script, TimeSpan timeout)
    {
        var file = Path.Combine(Path.GetTempPath(), $"synaxis-seed-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script);
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await node.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                throw new TimeoutException($"node did not finish within {timeout}: {await stdout}{await stderr}");
            }

            return (node.ExitCode, await stdout, await stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
